"""Publication for BI on the hand-made tiny warehouse of tests/unit/test_scorecard_report.py: the DuckDB
file, the Parquet files and the PostgreSQL tables hold the same scorecard, suppressed the same
way; detail tables follow their switches; PostgreSQL swaps atomically and a failure leaves
both the previous PostgreSQL schema and the new file snapshot in place.

PostgreSQL tests need a real server: CSCW_PG_DSN (`.ci/run` starts one and sets it). Without
it they are skipped, and say so.
"""

import json
import os

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.lib.publish import (
    PublishedTable,
    PublishOptions,
    publish_options,
    publish_snapshot,
)
from tests.unit.test_scorecard_report import build_tiny_warehouse

PG_DSN = os.environ.get("CSCW_PG_DSN", "").strip()
needs_pg = pytest.mark.skipif(
    not PG_DSN,
    reason="PostgreSQL tests skipped: CSCW_PG_DSN is not set (run `bash .ci/run`, or set it to a test database)",
)
KEY = slice(0, 10)  # la_code .. breakdown_name identify a row
SCHEMA = "cscw_bi_test"


def rows_sorted(rows):
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r[KEY]))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("bi")
    con = duckdb.connect(str(base / "warehouse.duckdb"))
    try:
        tables = build_tiny_warehouse(con)
        snapshot = publish_snapshot(con, base / "publish", tables, {"run_id": "run-bi"})
        warehouse = con.execute("SELECT * FROM kpi.kpi_scorecard").fetchall()
    finally:
        con.close()
    return {"snapshot": snapshot, "base": base, "warehouse": warehouse, "tables": tables}


def duckdb_rows(snapshot, table="kpi_scorecard"):
    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM {table}")
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def parquet_rows(snapshot, table="kpi_scorecard"):
    t = pq.read_table(snapshot / "parquet" / f"{table}.parquet")
    return t.column_names, [tuple(r.values()) for r in t.to_pylist()]


def test_duckdb_file_and_parquet_hold_the_same_scorecard(published):
    cols_d, rows_d = duckdb_rows(published["snapshot"])
    cols_p, rows_p = parquet_rows(published["snapshot"])
    assert cols_d == cols_p
    assert cols_d[-2:] == ["suppressed", "suppression_reason"]
    assert len(rows_d) == 27  # every hand-made row is published; suppression blanks, never drops
    assert rows_sorted(rows_d) == rows_sorted(rows_p)


def test_published_copy_is_suppressed_and_the_warehouse_is_not(published):
    cols, rows = duckdb_rows(published["snapshot"])
    by_key = {(r[1], r[6], r[8]): dict(zip(cols, r)) for r in rows}
    t1 = by_key[("assessments_45wd", "Mar 2024", "T1")]  # 2 of 3
    assert (t1["numerator"], t1["denominator"], t1["value"], t1["rag"], t1["direction"]) == (
        None,
    ) * 5
    assert t1["suppressed"] is True and t1["suppression_reason"] == "denominator under 5"
    assert (
        by_key[("cp_plans_open", "Mar 2024", "T1")]["suppression_reason"] == "count under 5"
    )  # 4 plans
    t2 = by_key[("assessments_45wd", "Mar 2024", "T2")]
    assert (t2["numerator"], t2["denominator"], t2["value"], t2["suppressed"]) == (
        37,
        37,
        100.0,
        False,
    )
    assert sum(1 for r in by_key.values() if r["suppressed"]) == 2
    # Q4 T1 is 10 of 12: kept. The warehouse keeps 2 of 3 in full.
    assert by_key[("assessments_45wd", "2023-24 Q4", "T1")]["denominator"] == 12
    full = [
        r
        for r in published["warehouse"]
        if r[1] == "assessments_45wd" and r[6] == "Mar 2024" and r[8] == "T1"
    ]
    assert full[0][10:12] == (2, 3)
    manifest = json.loads((published["snapshot"] / "manifest.json").read_text())
    assert manifest["suppression"] == {"below": 5, "rows_suppressed": 2}
    assert manifest["detail_tables"] == ["kpi_assessments_45wd_detail"]


def test_snapshot_files_are_read_only_and_current_points_at_it(published):
    snapshot = published["snapshot"]
    assert (published["base"] / "publish" / "current").resolve() == snapshot
    for name in ("cscw.duckdb", "manifest.json", "scorecard.html", "parquet/kpi_scorecard.parquet"):
        assert (snapshot / name).stat().st_mode & 0o222 == 0, name


def test_detail_switch_leaves_detail_tables_out(tmp_path):
    options = publish_options({"CSCW_PUBLISH_DETAIL": "false"})
    assert options.include_detail is False and options.suppress_below == 5
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        snapshot = publish_snapshot(
            con, tmp_path / "publish", build_tiny_warehouse(con), {}, options=options
        )
    finally:
        con.close()
    assert not (snapshot / "parquet" / "kpi_assessments_45wd_detail.parquet").exists()
    assert (snapshot / "parquet" / "kpi_scorecard.parquet").exists()
    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        names = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    finally:
        con.close()
    assert "kpi_assessments_45wd_detail" not in names and "kpi_scorecard" in names


def test_threshold_setting_reaches_the_published_copy(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        snapshot = publish_snapshot(
            con,
            tmp_path / "publish",
            build_tiny_warehouse(con),
            {},
            options=PublishOptions(suppress_below=13),
        )
    finally:
        con.close()
    cols, rows = duckdb_rows(snapshot)
    suppressed = sorted((r[1], r[6], r[8]) for r in rows if r[cols.index("suppressed")])
    # under 13: Mar T1 2/3, Q4 T1 10/12, cp T1 4; not T2 (37, 68, 138) nor the authority
    assert suppressed == [
        ("assessments_45wd", "2023-24 Q4", "T1"),
        ("assessments_45wd", "Mar 2024", "T1"),
        ("cp_plans_open", "Mar 2024", "T1"),
    ]


def test_columns_that_look_like_identifiers_stop_publication(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        tables = build_tiny_warehouse(con)
        con.execute(
            "CREATE TABLE kpi.kpi_leaky_detail AS SELECT 'Ann' AS pers_forename, 'x' AS child_key"
        )
        with pytest.raises(ValueError, match="pers_forename"):
            publish_snapshot(
                con,
                tmp_path / "publish",
                tables
                + [PublishedTable("kpi_leaky_detail", "kpi.kpi_leaky_detail", "ALL", detail=True)],
                {},
            )
    finally:
        con.close()
    assert not (tmp_path / "publish" / "current").exists()


# ---------------------------------------------------------------- PostgreSQL (real server)


def pg_connect():
    import psycopg

    return psycopg.connect(PG_DSN, autocommit=True)


def pg_tables(schema):
    with pg_connect() as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
            ).fetchall()
        }


@pytest.fixture(scope="module")
def in_postgres(published):
    from orchestration.lib.publish_postgres import PostgresTarget, publish_postgres

    manifest = json.loads((published["snapshot"] / "manifest.json").read_text())
    target = PostgresTarget(PG_DSN, SCHEMA)
    counts = publish_postgres(published["snapshot"], target, manifest["detail_tables"], manifest)
    return {"counts": counts, "manifest": manifest}


@needs_pg
def test_postgres_holds_the_same_scorecard_as_duckdb_and_parquet(published, in_postgres):
    cols_d, rows_d = duckdb_rows(published["snapshot"])
    with pg_connect() as conn:
        cur = conn.execute(f"SELECT * FROM {SCHEMA}.kpi_scorecard")
        cols_pg, rows_pg = [d.name for d in cur.description], cur.fetchall()
    assert cols_pg == cols_d
    assert len(rows_pg) == in_postgres["counts"]["kpi_scorecard"] == 27
    assert (
        rows_sorted(rows_pg)
        == rows_sorted(rows_d)
        == rows_sorted(parquet_rows(published["snapshot"])[1])
    )
    with pg_connect() as conn:
        suppressed = conn.execute(
            f"SELECT count(*) FROM {SCHEMA}.kpi_scorecard WHERE suppressed AND value IS NULL AND numerator IS NULL"
        ).fetchone()[0]
        types = dict(
            conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = 'kpi_scorecard'",
                [SCHEMA],
            ).fetchall()
        )
    assert suppressed == 2
    assert (
        types["period_start"] == "date"
        and types["value"] == "double precision"
        and types["suppressed"] == "boolean"
    )


@needs_pg
def test_postgres_leaves_detail_tables_out_by_default(published, in_postgres):
    tables = pg_tables(SCHEMA)
    assert "kpi_assessments_45wd_detail" not in tables
    assert {
        "kpi_scorecard",
        "kpi_catalogue",
        "dim_team",
        "england_comparators",
        "cscw_publication",
    } <= tables


@needs_pg
def test_postgres_republish_swaps_the_schema_and_grants_the_reader(published, in_postgres):
    import psycopg

    from orchestration.lib.publish_postgres import PostgresTarget, publish_postgres

    reader = os.environ.get("CSCW_PG_TEST_READER_ROLE")
    target = PostgresTarget(PG_DSN, SCHEMA, reader_role=reader, include_detail=True)
    publish_postgres(
        published["snapshot"], target, ["kpi_assessments_45wd_detail"], {"run_id": "second"}
    )
    assert "kpi_assessments_45wd_detail" in pg_tables(SCHEMA)
    with pg_connect() as conn:
        leftovers = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [SCHEMA + "\\_new\\_%"]
        ).fetchall()
        assert leftovers == []
        assert conn.execute(f"SELECT run_id FROM {SCHEMA}.cscw_publication").fetchall() == [
            ("second",)
        ]
        if reader:  # .ci/run makes the test login a member of the reader role
            conn.execute(f"SET ROLE {reader}")
            assert conn.execute(f"SELECT count(*) FROM {SCHEMA}.kpi_scorecard").fetchone()[0] == 27
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"DELETE FROM {SCHEMA}.kpi_scorecard")
            conn.execute("RESET ROLE")


@needs_pg
def test_postgres_failure_keeps_the_previous_schema(published, in_postgres, monkeypatch):
    import psycopg

    from orchestration.lib import publish_postgres as module

    before = pg_tables(SCHEMA)
    calls = {"n": 0}
    real = module._load_table

    def flaky(cur, sql, schema, name, parquet, progress):
        calls["n"] += 1
        if calls["n"] == 2:
            raise psycopg.errors.DiskFull("simulated: disk full")
        return real(cur, sql, schema, name, parquet, progress)

    monkeypatch.setattr(module, "_load_table", flaky)
    with pytest.raises(module.PostgresPublishError, match="simulated"):
        module.publish_postgres(
            published["snapshot"], module.PostgresTarget(PG_DSN, SCHEMA), [], {"run_id": "third"}
        )
    assert pg_tables(SCHEMA) == before
    with pg_connect() as conn:
        assert conn.execute(f"SELECT run_id FROM {SCHEMA}.cscw_publication").fetchall() != [
            ("third",)
        ]
        assert (
            conn.execute(
                "SELECT count(*) FROM pg_namespace WHERE nspname LIKE %s", [SCHEMA + "\\_new\\_%"]
            ).fetchone()[0]
            == 0
        )


def test_unreachable_postgres_fails_clearly_without_the_password(published):
    from orchestration.lib.publish_postgres import (
        PostgresPublishError,
        PostgresTarget,
        publish_postgres,
    )

    target = PostgresTarget("postgresql://someone:s3cret@127.0.0.1:1/none", SCHEMA)
    with pytest.raises(PostgresPublishError) as error:
        publish_postgres(published["snapshot"], target, [], {})
    assert "cannot connect to PostgreSQL" in str(error.value) and "s3cret" not in str(error.value)


def test_postgres_settings():
    from orchestration.lib.publish_postgres import postgres_target

    assert postgres_target({}) is None
    t = postgres_target({"CSCW_PG_DSN": "postgresql://u:p@h/db"})
    assert (t.schema, t.include_detail, t.reader_role) == ("cscw", False, None)
    assert t.safe_dsn == "postgresql://u:***@h/db"
    t = postgres_target(
        {
            "CSCW_PG_DSN": "x",
            "CSCW_PG_SCHEMA": "bi",
            "CSCW_PG_PUBLISH_DETAIL": "true",
            "CSCW_PG_READER_ROLE": "powerbi",
        }
    )
    assert (t.schema, t.include_detail, t.reader_role) == ("bi", True, "powerbi")
    with pytest.raises(ValueError):
        postgres_target({"CSCW_PG_DSN": "x", "CSCW_PG_SCHEMA": "bad; drop"})


# ---------------------------------------------------------------- through Dagster


def test_dagster_publish_assets_on_the_tiny_warehouse(tmp_path, monkeypatch):
    """Both publish assets as Dagster runs them; PostgreSQL failing fails the run, the file
    snapshot stays published. With a server, a second run publishes to it."""
    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from orchestration.defs.publish.assets import (
        published_postgres,
        published_snapshot,
        published_tables,
    )

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    try:
        build_tiny_warehouse(con)
        names = {t.name: t.detail for t in published_tables_without_seeds(con, published_tables)}
    finally:
        con.close()
    assert names["kpi_scorecard"] is False and names["kpi_assessments_45wd_detail"] is True
    assert names["england_comparators"] is False
    monkeypatch.setenv("CSCW_PUBLISH_DIR", str(tmp_path / "publish"))
    monkeypatch.setenv("CSCW_PG_DSN", "postgresql://nobody:pw@127.0.0.1:1/none")
    resources = {"duckdb": DuckDBResource(database=str(warehouse))}
    monkeypatch.setattr(
        "orchestration.defs.publish.assets.published_tables",
        lambda con: published_tables_without_seeds(con, published_tables),
    )
    result = dg.materialize(
        [published_snapshot, published_postgres], resources=resources, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "file snapshot" in failure.event_specific_data.error.message or "IS published" in str(
        failure.event_specific_data
    )
    current = tmp_path / "publish" / "current"
    assert (current / "scorecard.html").exists() and (current / "cscw.duckdb").exists()

    if PG_DSN:
        monkeypatch.setenv("CSCW_PG_DSN", PG_DSN)
        monkeypatch.setenv("CSCW_PG_SCHEMA", SCHEMA + "_dagster")
        result = dg.materialize([published_snapshot, published_postgres], resources=resources)
        assert result.success
        assert "kpi_scorecard" in pg_tables(SCHEMA + "_dagster")
    monkeypatch.delenv("CSCW_PG_DSN")
    result = dg.materialize([published_snapshot, published_postgres], resources=resources)
    assert result.success  # no DSN: the PostgreSQL asset is skipped, not failed
    keys = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert keys == {"publish/snapshot"}


def published_tables_without_seeds(con, published_tables):
    """The real table discovery, minus reference tables the tiny warehouse does not have."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
        ).fetchall()
    }
    return [t for t in published_tables(con) if t.relation in existing]
