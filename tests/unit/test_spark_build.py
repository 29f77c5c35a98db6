"""`cscw run --engine spark`: what the Spark build exported goes into the DuckDB warehouse under
its own names (lib/engines/spark_build.py), by the same rule the export hook writes it
(macros/engines/export_results.sql)."""

import duckdb
import pytest

from orchestration.lib.engines import spark_build
from orchestration.lib.engines.spark_build import exported_relations, load_results


def _node(resource_type, schema, alias, **config):
    return {"resource_type": resource_type, "schema": schema, "alias": alias, "config": config}


def test_exported_are_models_and_seeds_built_and_the_stored_rows_of_tests_not_passed():
    manifest = {
        "nodes": {
            "model.p.built": _node("model", "kpi", "built"),
            "model.p.broken": _node("model", "kpi", "broken"),
            "seed.p.codes": _node("seed", "reference", "codes"),
            "test.p.fails": _node("test", "audit", "fails", store_failures=True),
            "test.p.warns": _node("test", "audit", "warns", store_failures=True),
            "test.p.passes": _node("test", "audit", "passes", store_failures=True),
            "test.p.unstored": _node("test", "audit", "unstored"),
        }
    }
    statuses = {
        "model.p.built": "success",
        "model.p.broken": "error",
        "seed.p.codes": "success",
        "test.p.fails": "fail",
        "test.p.warns": "warn",
        "test.p.passes": "pass",
        "test.p.unstored": "fail",
        "model.p.not_in_manifest": "success",
    }
    run_results = {"results": [{"unique_id": u, "status": s} for u, s in statuses.items()]}
    assert [(s, n) for s, n, _ in exported_relations(run_results, manifest)] == [
        ("kpi", "built"),
        ("reference", "codes"),
        ("audit", "fails"),
        ("audit", "warns"),
    ]


@pytest.fixture
def exported(tmp_path):
    """Spark's export of kpi.rates: two rows; `share` came out as text from Spark."""
    folder = tmp_path / "kpi" / "rates"
    folder.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        f"copy (select * from (values ('901', '0.50'), ('902', '0.25')) v(la_code, share))"
        f" to '{folder}/part-0.parquet' (format parquet)"
    )
    return tmp_path


def test_loaded_tables_replace_views_of_the_same_name_with_the_contracts_types(exported):
    con = duckdb.connect()
    con.execute("create schema kpi; create view kpi.rates as select 1 as stale")
    node = {"columns": {"la_code": {}, "share": {"data_type": "decimal(5,2)"}}}
    assert load_results(con, exported, [("kpi", "rates", node)]) == 1
    assert con.execute(
        "select table_type from information_schema.tables where table_name = 'rates'"
    ).fetchone() == ("BASE TABLE",)
    types = con.execute("select column_name, column_type from (describe kpi.rates)").fetchall()
    assert types == [("la_code", "VARCHAR"), ("share", "DECIMAL(5,2)")]
    from decimal import Decimal

    assert con.execute("select * from kpi.rates order by la_code").fetchall() == [
        ("901", Decimal("0.50")),
        ("902", Decimal("0.25")),
    ]


def test_a_relation_spark_did_not_write_fails_the_load_and_changes_nothing(exported):
    con = duckdb.connect()
    con.execute("create schema kpi; create table kpi.rates as select 1 as before")
    with pytest.raises(RuntimeError, match=r"Spark built kpi\.missing but wrote no Parquet"):
        load_results(con, exported, [("kpi", "rates", {}), ("kpi", "missing", {})])
    assert con.execute("select * from kpi.rates").fetchall() == [(1,)]  # rolled back


def test_without_the_spark_environment_the_run_says_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setattr(spark_build, "SPARK_VENV", tmp_path / "nowhere")
    assert "make env-spark" in spark_build.missing_for_spark()
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "venv" / "bin" / "cscw-dbt").touch()
    monkeypatch.setattr(spark_build, "SPARK_VENV", tmp_path / "venv")
    monkeypatch.setattr(spark_build.shutil, "which", lambda name: None)
    assert "no Java runtime" in spark_build.missing_for_spark()


def test_a_table_whose_yaml_declares_every_column_takes_the_declared_order(exported):
    # DuckDB's contracts build in the declared order; Spark keeps the order of its SQL
    con = duckdb.connect()
    declared = {"columns": {"share": {}, "la_code": {}}}
    load_results(con, exported, [("kpi", "rates", declared)])
    assert [r[0] for r in con.execute("describe kpi.rates").fetchall()] == ["share", "la_code"]
    partly = {"columns": {"share": {}}}  # not every column declared: Spark's order stays
    load_results(con, exported, [("kpi", "rates", partly)])
    assert [r[0] for r in con.execute("describe kpi.rates").fetchall()] == ["la_code", "share"]
