"""Publication assembled per authority from the verdicts, on a hand-made warehouse.

Publication A (every authority published): scorecard rows
  201 la 3/4, 201 team T1 3/4 (suppressed: denominator under 5), 202 la 8/10, 203 la 1/2;
  detail rows one per authority; dim_authority 201, 202, 203; catalogue name 'Old name'.
The warehouse then changes (a later run): 201 la 5/5 and T1 5/5, 202 la 9/10, 203 la 2/2, a new
authority 204 la 7/7, the detail table gains a column `note`, the catalogue name is 'New name'.
Publication B, verdicts 201 published, 202 held back, 203 unchanged, 204 held back (never
published) -> scorecard 201 5/5 and T1 5/5 (not suppressed), 202 8/10 (A's row), 203 2/2, no
204; detail 202 from A with note NULL; dim_authority 201, 202, 203; catalogue 'New name';
A's files untouched. Publication C, every authority held back -> nothing, `current` stays B.
"""

import hashlib

import duckdb
import pytest

from orchestration.lib.publish import (
    MANIFEST_FILE,
    PublishedTable,
    PublishOptions,
    current_snapshot,
    publish_snapshot,
)

SCORECARD = """CREATE OR REPLACE TABLE kpi.kpi_scorecard (la_code VARCHAR, kpi_id VARCHAR, breakdown VARCHAR,
    breakdown_id VARCHAR, unit VARCHAR, numerator BIGINT, denominator BIGINT, value DOUBLE, rag VARCHAR,
    direction VARCHAR)"""
TABLES = [
    PublishedTable("kpi_scorecard", "kpi.kpi_scorecard", "ALL", by_authority=True),
    PublishedTable(
        "kpi_units_detail", "kpi.kpi_units_detail", "ALL", detail=True, by_authority=True
    ),
    PublishedTable("kpi_catalogue", "reference.kpi_catalogue", "kpi_id"),
    PublishedTable("dim_authority", "conformed.dim_authority", "la_code", by_authority=True),
]


def scorecard(con, rows):
    con.execute(SCORECARD)
    con.executemany(
        "INSERT INTO kpi.kpi_scorecard VALUES (?, 'k1', ?, ?, 'percentage', ?, ?, ?, NULL, NULL)",
        [(la, b, bid, n, d, 100.0 * n / d) for la, b, bid, n, d in rows],
    )


def verdicts(**by_la):
    return [
        {"la_code": la.lstrip("_"), "verdict": v, "reasons": "why" if v == "held_back" else None}
        for la, v in by_la.items()
    ]


def files(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def query(snapshot, sql):
    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("verdicts")
    publish = base / "publish"
    con = duckdb.connect(str(base / "warehouse.duckdb"))
    for schema in ("kpi", "reference", "conformed"):
        con.execute(f"CREATE SCHEMA {schema}")
    scorecard(
        con,
        [
            ("201", "la", "201", 3, 4),
            ("201", "team", "T1", 3, 4),
            ("202", "la", "202", 8, 10),
            ("203", "la", "203", 1, 2),
        ],
    )
    con.execute(
        "CREATE TABLE kpi.kpi_units_detail AS SELECT * FROM (VALUES ('201', 'u1', true), "
        "('202', 'u2', false), ('203', 'u3', true)) t(la_code, unit_key, is_met)"
    )
    con.execute(
        "CREATE TABLE reference.kpi_catalogue AS SELECT 'k1' AS kpi_id, 'Old name' AS kpi_name"
    )
    con.execute(
        "CREATE TABLE conformed.dim_authority AS SELECT * FROM (VALUES ('201', DATE '2024-06-30'), "
        "('202', DATE '2024-06-30'), ('203', DATE '2024-06-30')) t(la_code, as_at_date)"
    )
    first = publish_snapshot(
        con,
        publish,
        TABLES,
        {"run_id": "A"},
        options=PublishOptions(
            report=False, verdicts=verdicts(_201="published", _202="published", _203="published")
        ),
    )
    first_files = files(first)

    scorecard(
        con,
        [
            ("201", "la", "201", 5, 5),
            ("201", "team", "T1", 5, 5),
            ("202", "la", "202", 9, 10),
            ("203", "la", "203", 2, 2),
            ("204", "la", "204", 7, 7),
        ],
    )
    con.execute(
        "CREATE OR REPLACE TABLE kpi.kpi_units_detail AS SELECT * FROM (VALUES ('201', 'u9', true, 'n'), "
        "('202', 'u8', true, 'n'), ('203', 'u3', true, 'n'), ('204', 'u7', true, 'n')) "
        "t(la_code, unit_key, is_met, note)"
    )
    con.execute("UPDATE reference.kpi_catalogue SET kpi_name = 'New name'")
    con.execute("INSERT INTO conformed.dim_authority VALUES ('204', DATE '2024-07-31')")
    con.execute(
        "UPDATE conformed.dim_authority SET as_at_date = DATE '2024-07-31' WHERE la_code IN ('201', '202')"
    )
    second_verdicts = verdicts(
        _201="published", _202="held_back", _203="unchanged", _204="held_back"
    )
    second = publish_snapshot(
        con,
        publish,
        TABLES,
        {"run_id": "B"},
        options=PublishOptions(report=False, verdicts=second_verdicts),
    )
    first_after_second = files(first)
    second_files = files(second)

    third = publish_snapshot(
        con,
        publish,
        TABLES,
        {"run_id": "C"},
        options=PublishOptions(
            report=False,
            verdicts=verdicts(
                _201="held_back", _202="held_back", _203="held_back", _204="held_back"
            ),
        ),
    )
    con.close()
    return {
        "publish": publish,
        "first": first,
        "second": second,
        "third": third,
        "first_files": first_files,
        "first_after_second": first_after_second,
        "second_files": second_files,
        "verdicts": second_verdicts,
    }


def test_held_back_authorities_keep_their_published_rows_and_the_others_are_new(published):
    rows = query(
        published["second"],
        "SELECT la_code, breakdown_id, numerator, denominator, suppressed "
        "FROM kpi_scorecard ORDER BY ALL",
    )
    assert rows == [
        ("201", "201", 5, 5, False),
        ("201", "T1", 5, 5, False),
        ("202", "202", 8, 10, False),
        ("203", "203", 2, 2, False),
    ]


def test_published_rows_of_a_held_authority_equal_the_previous_parquet(published):
    con = duckdb.connect()
    for table in ("kpi_scorecard", "kpi_units_detail", "dim_authority"):
        new_column = (
            " EXCLUDE (note)" if table == "kpi_units_detail" else ""
        )  # added after A: NULL for 202
        now = f"SELECT *{new_column} FROM read_parquet('{published['second']}/parquet/{table}.parquet') WHERE la_code = '202'"
        before = f"SELECT * FROM read_parquet('{published['first']}/parquet/{table}.parquet') WHERE la_code = '202'"
        diff = con.execute(
            f"SELECT count(*) FROM (({now} EXCEPT ALL {before}) UNION ALL ({before} EXCEPT ALL {now}))"
        )
        assert diff.fetchall()[0][0] == 0, table
        assert con.execute(f"SELECT count(*) FROM ({before})").fetchall()[0][0] > 0, table
    con.close()
    assert query(published["second"], "SELECT * FROM kpi_units_detail ORDER BY la_code") == [
        ("201", "u9", True, "n"),
        ("202", "u2", False, None),
        ("203", "u3", True, "n"),
    ]
    assert query(
        published["second"], "SELECT la_code, as_at_date::VARCHAR FROM dim_authority ORDER BY 1"
    ) == [("201", "2024-07-31"), ("202", "2024-06-30"), ("203", "2024-06-30")]


def test_reference_tables_come_from_the_run_and_types_stay_those_of_the_warehouse(published):
    assert query(published["second"], "SELECT kpi_name FROM kpi_catalogue") == [("New name",)]
    types = query(
        published["second"],
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'kpi_scorecard' AND column_name IN ('numerator', 'value')",
    )
    assert sorted(types) == [("numerator", "BIGINT"), ("value", "DOUBLE")]


def test_previous_snapshot_is_untouched_and_the_manifest_records_the_verdicts(published):
    import json

    assert published["first_after_second"] == published["first_files"]
    manifest = json.loads((published["second"] / MANIFEST_FILE).read_text())
    assert manifest["verdicts"] == published["verdicts"]
    assert manifest["held_back_rows_from"] == published["first"].name
    assert manifest["tables"]["kpi_scorecard"] == 4


def test_nothing_is_published_when_every_authority_is_held_back(published):
    assert published["third"] is None
    assert current_snapshot(published["publish"]) == published["second"]
    assert files(published["second"]) == published["second_files"]
    assert len([p for p in (published["publish"] / "snapshots").iterdir()]) == 2
