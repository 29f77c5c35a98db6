"""`results.record` writes check results in one insert (an Arrow table), typed as the table's
columns, and falls back to DuckDB's row-by-row binding for a value Arrow will not take."""

from datetime import datetime
from decimal import Decimal

import duckdb

from orchestration.lib.quality import results

AT = datetime(2026, 12, 7, 1, 2, 3, 456789)


def _row(i, la="884", observed=None, count=0):
    return ("r1", AT, "gx_raw_load", "raw_load", la, "ssd_person", f"e{i}", None, "warning",
            count == 0, count, 10, observed, "d")  # fmt: skip


def _stored(con):
    return con.execute(
        "SELECT * FROM quality.check_results ORDER BY length(expectation), expectation"
    ).fetchall()


def test_every_row_stored_with_its_values_and_types():
    con = duckdb.connect()
    rows = [_row(i) for i in range(3000)]
    rows.append(_row(3000, la=None, observed="12 failing rows …", count=12))  # a NULL authority
    results.record(con, rows, "r1", "gx_raw_load")
    stored = _stored(con)
    assert len(stored) == 3001
    assert stored[0] == _row(0)  # the timestamp to the microsecond, the bool, the NULL column
    assert stored[-1] == ("r1", AT, "gx_raw_load", "raw_load", None, "ssd_person", "e3000", None,
                          "warning", False, 12, 10, "12 failing rows …", "d")  # fmt: skip
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'check_results'"
        ).fetchall()
    )
    assert types["checked_at"] == "TIMESTAMP" and types["unexpected_count"] == "BIGINT"


def test_a_value_arrow_refuses_is_bound_by_duckdb_instead():
    con = duckdb.connect()
    # an integer observed value (Arrow will not put 7 in a string column) and a Decimal count
    rows = [_row(0, observed=7), _row(1, count=Decimal(2))]
    results.record(con, rows, "r1", "gx_raw_load")
    stored = _stored(con)
    assert [(r[6], r[10], r[12]) for r in stored] == [("e0", 0, "7"), ("e1", 2, None)]


def test_recording_again_replaces_the_run_s_rows_of_that_check():
    con = duckdb.connect()
    results.record(con, [_row(0), _row(1)], "r1", "gx_raw_load")
    results.record(con, [_row(2)], "r1", "gx_raw_load")
    assert [r[6] for r in _stored(con)] == ["e2"]
