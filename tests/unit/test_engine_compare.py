"""The comparison behind the Spark parity test (orchestration/lib/engines/spark.py, compare):
it must find a differing value, a missing or extra row and a missing column, and must not see
a difference in row order or below the 9th decimal place. Its rebuilt side here is a second
DuckDB file (the --engine duckdb path), so no JVM is needed."""

import duckdb

from orchestration.lib.engines.spark import compare

EXPECTED = """
create schema kpi;
create table kpi.t as select * from (values
    ('884', 'cp_visits', 0.1 + 0.2, 3),
    ('884', 'cla_visits', 2.0 / 3.0, 5)
) as v(la_code, kpi_id, value, numerator);
"""


def _warehouses(tmp_path, rebuilt_sql: str):
    expected = tmp_path / "expected.duckdb"
    with duckdb.connect(str(expected)) as con:
        con.execute(EXPECTED)
    workdir = tmp_path / "work"
    workdir.mkdir()
    with duckdb.connect(str(workdir / "warehouse.duckdb")) as con:
        con.execute("create schema kpi")
        con.execute(rebuilt_sql)
    return compare(None, expected, ["kpi.t"], workdir)


def test_same_rows_in_another_order_and_within_1e_9_are_equal(tmp_path):
    # 0.1 + 0.2 = 0.30000000000000004 on one side, 0.3 on the other: equal to 9 places
    differences = _warehouses(
        tmp_path,
        "create table kpi.t as select * from (values ('884', 'cla_visits', 2.0 / 3.0, 5),"
        " ('884', 'cp_visits', 0.3, 3)) as v(la_code, kpi_id, value, numerator)",
    )
    assert differences == []


def test_a_value_differing_in_the_8th_place_is_a_difference(tmp_path):
    differences = _warehouses(
        tmp_path,
        "create table kpi.t as select * from (values ('884', 'cp_visits', 0.30000001, 3),"
        " ('884', 'cla_visits', 2.0 / 3.0, 5)) as v(la_code, kpi_id, value, numerator)",
    )
    assert [d.relation for d in differences] == ["kpi.t"]
    assert differences[0].reason.startswith("1 rows only on DuckDB, 1 only on the rebuild")


def test_a_missing_row_and_a_duplicated_row_are_differences(tmp_path):
    # the same set of distinct rows, but cla_visits twice and cp_visits not at all
    differences = _warehouses(
        tmp_path,
        "create table kpi.t as select * from (values ('884', 'cla_visits', 2.0 / 3.0, 5),"
        " ('884', 'cla_visits', 2.0 / 3.0, 5)) as v(la_code, kpi_id, value, numerator)",
    )
    assert differences[0].reason.startswith("1 rows only on DuckDB, 1 only on the rebuild")


def test_a_missing_column_is_a_difference(tmp_path):
    differences = _warehouses(
        tmp_path,
        "create table kpi.t as select * from (values ('884', 'cp_visits', 0.3),"
        " ('884', 'cla_visits', 2.0 / 3.0)) as v(la_code, kpi_id, value)",
    )
    assert differences[0].reason == "columns only on DuckDB ['numerator'], only on the rebuild []"


def test_the_same_columns_in_another_order_are_a_difference(tmp_path):
    # what BI reads by position (a CSV, a Power BI query) must not move
    differences = _warehouses(
        tmp_path,
        "create table kpi.t as select la_code, kpi_id, numerator, value from (values"
        " ('884', 'cp_visits', 0.3, 3), ('884', 'cla_visits', 2.0 / 3.0, 5))"
        " as v(la_code, kpi_id, value, numerator)",
    )
    assert differences[0].reason == (
        "column order: DuckDB ['la_code', 'kpi_id', 'value', 'numerator'],"
        " the rebuild ['la_code', 'kpi_id', 'numerator', 'value']"
    )


def test_columns_naming_the_run_can_be_left_out(tmp_path):
    from orchestration.lib.engines.spark import compare_warehouses

    expected, actual = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for path, run_id in ((expected, "run-1"), (actual, "run-2")):
        with duckdb.connect(str(path)) as con:
            con.execute(f"create table main.r as select 'x' as kpi_id, '{run_id}' as run_id")
    assert len(compare_warehouses(expected, actual, ["main.r"])) == 1
    assert compare_warehouses(expected, actual, ["main.r"], ignore_columns=("run_id",)) == []
