"""Published Parquet files hold their rows in the table's order, whether or not the connection
keeps insertion order (the file is then written from the sorted table without a second sort).

The source holds 300,000 rows (three of DuckDB's row groups, so scans run in parallel) with keys
k = 0..299,999 in a shuffled order; the order is `k`, so row i of the file must have k = i.
"""

import duckdb
import pytest

from orchestration.lib.publish import PublishedTable, PublishOptions, publish_snapshot

ROWS = 300_000


@pytest.mark.parametrize("keep_order", [True, False])
def test_parquet_rows_are_in_the_tables_order(tmp_path, keep_order):
    con = duckdb.connect(str(tmp_path / "w.duckdb"), config={"threads": 2})
    con.execute(f"SET preserve_insertion_order = {str(keep_order).lower()}")
    con.execute("CREATE SCHEMA kpi")
    # (k * 7919) % ROWS visits every k once (7919 is prime, ROWS is not a multiple of it)
    con.execute(
        f"CREATE TABLE kpi.t AS SELECT (i * 7919) % {ROWS} AS k, i AS v FROM range({ROWS}) r(i)"
    )
    snapshot = publish_snapshot(
        con,
        tmp_path / "publish",
        [PublishedTable("t", "kpi.t", "k")],
        {},
        options=PublishOptions(report=False),
    )
    out = f"'{snapshot / 'parquet' / 't.parquet'}'"
    ((misplaced, rows),) = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE k <> file_row_number), count(*) "
        f"FROM read_parquet({out}, file_row_number = true)"
    ).fetchall()
    assert (misplaced, rows) == (0, ROWS)
