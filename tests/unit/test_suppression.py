"""Small-number suppression on a hand-made scorecard (threshold 5 unless said otherwise).

row  breakdown     unit        numerator  denominator  expected
1    la            percentage  1          2            kept: authority rows are never suppressed
2    team          percentage  2          3            suppressed: denominator 3 < 5
3    team          percentage  4          5            kept: denominator 5 is not under 5
4    team          percentage  0          0            kept: zero (value already NULL)
5    service_area  percentage  0          4            suppressed: denominator 4 (numerator 0 does not matter)
6    team          count       4          NULL         suppressed: count 4 < 5
7    team          count       0          NULL         kept: zero is not a small number
8    service_area  count       12         NULL         kept
9    team          rate_10k    3          NULL         suppressed: count 3 < 5 (teams have no population)
10   team          ratio       60         4.5          suppressed: denominator 4.5 FTE < 5
11   team          mean        200        5            kept
12   la            count       3          NULL         kept: authority
"""

import duckdb
import pytest

from orchestration.lib.suppression import suppress_below, suppression_sql

ROWS = [
    (1, "la", "percentage", 1, 2, 50.0, "Red", "worsening"),
    (2, "team", "percentage", 2, 3, 66.7, "Red", "improving"),
    (3, "team", "percentage", 4, 5, 80.0, "Amber", "unchanged"),
    (4, "team", "percentage", 0, 0, None, None, None),
    (5, "service_area", "percentage", 0, 4, 0.0, "Red", "worsening"),
    (6, "team", "count", 4, None, 4.0, None, "improving"),
    (7, "team", "count", 0, None, 0.0, None, None),
    (8, "service_area", "count", 12, None, 12.0, "Green", "unchanged"),
    (9, "team", "rate_10k", 3, None, None, None, None),
    (10, "team", "ratio", 60, 4.5, 13.3, "Red", "worsening"),
    (11, "team", "mean", 200, 5, 40.0, None, None),
    (12, "la", "count", 3, None, 3.0, "Red", None),
]
SUPPRESSED = {
    2: "denominator under 5",
    5: "denominator under 5",
    6: "count under 5",
    9: "count under 5",
    10: "denominator under 5",
}


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("""CREATE TABLE sc (row_no INTEGER, breakdown VARCHAR, unit VARCHAR, numerator DOUBLE,
                   denominator DOUBLE, value DOUBLE, rag VARCHAR, direction VARCHAR, target DOUBLE)""")
    con.executemany("INSERT INTO sc VALUES (?, ?, ?, ?, ?, ?, ?, ?, 95)", ROWS)
    yield con
    con.close()


def run(con, threshold):
    columns = [r[0] for r in con.execute("DESCRIBE sc").fetchall()]
    return {
        r[0]: r
        for r in con.execute(
            suppression_sql("sc", columns, threshold) + " ORDER BY row_no"
        ).fetchall()
    }


def test_rows_under_the_threshold_are_blanked_and_flagged(con):
    out = run(con, 5)
    for row in ROWS:
        no = row[0]
        got = out[no]
        # columns: row_no, breakdown, unit, numerator, denominator, value, rag, direction, target, suppressed, reason
        assert got[8] == 95  # target and identifying columns always kept
        assert got[1:3] == row[1:3]
        if no in SUPPRESSED:
            assert got[3:8] == (None, None, None, None, None), no
            assert got[9] is True and got[10] == SUPPRESSED[no], no
        else:
            assert got[3:8] == row[3:8], no
            assert got[9] is False and got[10] is None, no


def test_threshold_is_configurable(con):
    out = run(con, 3)  # the smallest basis is 3 (rows 2, 9): not under 3, so nothing is suppressed
    assert {no for no, r in out.items() if r[9]} == set()
    out = run(con, 6)  # 5 is now under 6: rows 3 and 11 join
    assert {no for no, r in out.items() if r[9]} == set(SUPPRESSED) | {3, 11}
    out = run(con, 0)
    assert not any(r[9] for r in out.values())


def test_reason_never_reveals_the_number(con):
    out = run(con, 5)
    for no in SUPPRESSED:
        assert not any(ch.isdigit() and ch != "5" for ch in out[no][10])


def test_threshold_setting():
    assert suppress_below({}) == 5
    assert suppress_below({"CSCW_SUPPRESS_BELOW": "10"}) == 10
    with pytest.raises(ValueError):
        suppress_below({"CSCW_SUPPRESS_BELOW": "-1"})
