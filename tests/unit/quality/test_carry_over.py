"""Results of the authorities a per-authority run did not check again, carried over from their
last run (orchestration/lib/quality/results.py, carry_over).

Runs r1 (10:00) and r2 (11:00) checked gx_raw_load for 801 and 802; r2 also ran drift for 801.
Run r3 rebuilt 802 only, so it carries 801's gx_raw_load rows from r2, its last run (2 rows: one
failed warning, one success), not r1's, and nothing of 802 or of the other check."""

from datetime import datetime

import duckdb

from orchestration.lib.quality import results


def _row(run, hour, check, la, expectation, success):
    return (
        run,
        datetime(2026, 12, 1, hour),
        check,
        "raw_load",
        la,
        "ssd_person",
        expectation,
        None,
        "warning",
        success,
        0 if success else 3,
        10,
        None,
        "d",
    )


def test_the_last_run_s_results_are_copied_into_this_run():
    con = duckdb.connect()
    results.record(
        con,
        [
            _row("r1", 10, "gx_raw_load", "801", "e_old", True),
            _row("r1", 10, "gx_raw_load", "802", "e_old", True),
        ],
        "r1",
        "gx_raw_load",
    )
    results.record(
        con,
        [
            _row("r2", 11, "gx_raw_load", "801", "e1", False),
            _row("r2", 11, "gx_raw_load", "801", "e2", True),
            _row("r2", 11, "gx_raw_load", "802", "e1", True),
        ],
        "r2",
        "gx_raw_load",
    )
    results.record(
        con, [_row("r2", 11, "drift_publication", "801", "d1", True)], "r2", "drift_publication"
    )
    results.record(con, [_row("r3", 12, "gx_raw_load", "802", "e1", True)], "r3", "gx_raw_load")

    assert results.carry_over(con, "r3", "gx_raw_load", ["801"]) == 2
    assert con.execute(
        "SELECT la_code, expectation, success, hour(checked_at) FROM quality.check_results "
        "WHERE run_id = 'r3' ORDER BY ALL"
    ).fetchall() == [("801", "e1", False, 11), ("801", "e2", True, 11), ("802", "e1", True, 12)]
    assert results.carry_over(con, "r3", "gx_raw_load", []) == 0
