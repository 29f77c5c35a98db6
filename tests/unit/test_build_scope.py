"""The scope of a per-authority build (orchestration/lib/build_scope.py) on a tiny warehouse.

Authorities and their drops (raw_meta.load_log) against the runs' verdicts:
  801 read in run r1, published in r1                  -> nothing new: not in scope
  802 read in run r1, held back in r1                  -> its rows are not published: in scope
  803 read in this run r2                              -> new drop: in scope
So a per-authority build of r2 rebuilds 802 and 803; conformed.fct_a's scoped view holds their
2 + 1 rows of its 6 (801: 3 rows), dim_date (no la_code) gets no view."""

import duckdb
import pytest

from orchestration.lib.build_scope import build_scope, drop_scope
from orchestration.lib.quality.verdicts import ensure_verdicts_table


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(
        "CREATE SCHEMA raw_meta; CREATE SCHEMA conformed; CREATE SCHEMA staging; CREATE SCHEMA raw"
    )
    con.execute(
        "CREATE TABLE raw_meta.load_log (la_code VARCHAR, run_id VARCHAR, loaded_at TIMESTAMP)"
    )
    con.execute(
        "INSERT INTO raw_meta.load_log (la_code, run_id) VALUES ('801', 'r1'), ('802', 'r1'), ('803', 'r2')"
    )
    ensure_verdicts_table(con)
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons) VALUES ('r1', '801', 'published', NULL), ('r1', '802', 'held_back', 'x')"
    )
    con.execute(
        "CREATE TABLE conformed.fct_a AS SELECT * FROM (VALUES ('801', 1), ('801', 2), ('801', 3), "
        "('802', 4), ('802', 5), ('803', 6)) AS t(la_code, v)"
    )
    con.execute("CREATE TABLE conformed.dim_date AS SELECT DATE '2024-06-30' AS calendar_date")
    con.execute("CREATE TABLE raw.b AS SELECT * FROM conformed.fct_a")
    con.execute("CREATE VIEW staging.stg_b AS SELECT la_code, v * 10 AS w FROM raw.b")
    yield con
    con.close()


def schemas(con):
    return sorted(
        r[0]
        for r in con.execute(
            "SELECT schema_name FROM duckdb_schemas() WHERE schema_name LIKE 'scoped_%'"
        ).fetchall()
    )


def test_a_per_authority_build_reads_the_unpublished_authorities_only(con):
    assert build_scope(con, "r2", per_authority=True) == ["802", "803"]
    assert con.execute("SELECT la_code FROM raw_meta.build_scope ORDER BY 1").fetchall() == [
        ("802",),
        ("803",),
    ]
    assert schemas(con) == ["scoped_conformed", "scoped_staging"]
    assert con.execute("SELECT la_code, v FROM scoped_conformed.fct_a ORDER BY v").fetchall() == [
        ("802", 4),
        ("802", 5),
        ("803", 6),
    ]
    assert con.execute("SELECT sum(w) FROM scoped_staging.stg_b").fetchone()[0] == 150  # 40+50+60
    assert (
        con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE schema_name = 'scoped_conformed' AND view_name = 'dim_date'"
        ).fetchone()[0]
        == 0
    )


def test_a_full_build_has_no_scope(con):
    assert build_scope(con, "r2", per_authority=False) is None
    assert schemas(con) == []
    # Asked for, but every authority has a new drop: a full build is cheaper.
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons) VALUES ('r1', '801', 'held_back', 'x')"
    )
    con.execute("DELETE FROM quality.verdicts WHERE verdict = 'published'")
    assert build_scope(con, "r2", per_authority=True) is None
    assert (
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'build_scope'"
        ).fetchone()[0]
        == 0
    )


def test_nothing_new_scopes_no_authority(con):
    con.execute("UPDATE raw_meta.load_log SET run_id = 'r1'")  # every drop read in r1 ...
    con.execute("UPDATE quality.verdicts SET verdict = 'published'")  # ... and published in r1
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons) VALUES ('r1', '803', 'published', NULL)"
    )
    assert build_scope(con, "r2", per_authority=True) == []
    assert con.execute("SELECT count(*) FROM scoped_conformed.fct_a").fetchone()[0] == 0


def test_after_the_build_the_stored_failures_read_every_authority_again(con):
    build_scope(con, "r2", per_authority=True)
    # as dbt stores a test's failing rows: a view on the scoped relation (v > 1 fails)
    con.execute("CREATE SCHEMA audit")
    con.execute(
        'CREATE VIEW audit.v_over_1 AS SELECT * FROM "scoped_conformed"."fct_a" WHERE v > 1'
    )
    con.execute("CREATE VIEW audit.w_big AS SELECT * FROM scoped_staging.stg_b WHERE w > 45")
    assert con.execute("SELECT count(*) FROM audit.v_over_1").fetchone()[0] == 3  # 4, 5, 6
    drop_scope(con)
    assert schemas(con) == []
    assert (
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'build_scope'"
        ).fetchone()[0]
        == 0
    )
    assert con.execute("SELECT count(*) FROM audit.v_over_1").fetchone()[0] == 5  # 2 to 6
    assert con.execute("SELECT count(*) FROM audit.w_big").fetchone()[0] == 2  # 50, 60
