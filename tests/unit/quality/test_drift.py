"""Drift against the last publication on hand-made scorecards (in-memory DuckDB).

Published (old) and new scorecards, authority level, thresholds of seeds/quality_thresholds.csv
(drift_units: warning above 25%, critical above 50%, from 20 units; values lost, periods lost
and the data date moving back: critical from the first). Authority 201 has measure K1
(percentage: units = denominator) and K2 (count: units = numerator), months Apr-Jun 2024.

old 201  K1 Apr 10/40 = 25.0   May 30/40 = 75.0   Jun  5/10 = 50.0
         K2 Apr 100            May 100             Jun 100
         as_at_date 2024-06-30, first_period_start 2018-04-01
Each test changes the new scorecard (a copy of the old one) and works out what must be found.
"""

from datetime import date

import duckdb
import pytest

from orchestration.lib.quality.drift import (
    ACCEPTED_TEXT,
    CHECK_NAME,
    drift_rows,
    parse_accepted,
)
from orchestration.lib.quality.results import COLUMNS, record
from orchestration.lib.quality.verdicts import REASON_SQL

TODAY = date(2026, 12, 4)
OLD = [  # (la, kpi, unit, month start, label, numerator, denominator, value)
    ("201", "K1", "percentage", "2024-04-01", "Apr 2024", 10, 40, 25.0),
    ("201", "K1", "percentage", "2024-05-01", "May 2024", 30, 40, 75.0),
    ("201", "K1", "percentage", "2024-06-01", "Jun 2024", 5, 10, 50.0),
    ("201", "K2", "count", "2024-04-01", "Apr 2024", 100, None, 100.0),
    ("201", "K2", "count", "2024-05-01", "May 2024", 100, None, 100.0),
    ("201", "K2", "count", "2024-06-01", "Jun 2024", 100, None, 100.0),
]
SCORECARD = """(la_code VARCHAR, kpi_id VARCHAR, unit VARCHAR, period_start DATE, period_label VARCHAR,
    numerator DOUBLE, denominator DOUBLE, value DOUBLE, period_type VARCHAR DEFAULT 'month',
    breakdown VARCHAR DEFAULT 'la', breakdown_id VARCHAR)"""


@pytest.fixture
def con():
    c = duckdb.connect()
    for name in ("old_sc", "new_sc"):
        c.execute(f"CREATE TABLE {name} {SCORECARD}")
        c.executemany(
            f"INSERT INTO {name} (la_code, kpi_id, unit, period_start, period_label, numerator, "
            "denominator, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            OLD,
        )
        # a team row that must never be compared (team rows are suppressed when published)
        c.execute(
            f"INSERT INTO {name} VALUES ('201', 'K1', 'percentage', '2024-06-01', 'Jun 2024', 1, 2, 50, "
            "'month', 'team', 'T1')"
        )
    for name in ("old_auth", "new_auth"):
        c.execute(
            f"CREATE TABLE {name} (la_code VARCHAR, as_at_date DATE, first_period_start DATE)"
        )
        c.execute(f"INSERT INTO {name} VALUES ('201', '2024-06-30', '2018-04-01')")
    yield c
    c.close()


def run(con, accepted=None, old=True):
    rows = drift_rows(
        con,
        "r1",
        "new_sc",
        "new_auth",
        "old_sc" if old else None,
        "old_auth" if old else None,
        accepted=parse_accepted(accepted),
        today=TODAY,
    )
    return [dict(zip(COLUMNS, r)) for r in rows]


def by_expectation(rows, la="201", severity=None):
    return {
        r["expectation"]: r
        for r in rows
        if r["la_code"] == la and (severity is None or r["severity"] == severity)
    }


def failing(rows):
    return {
        (r["la_code"], r["expectation"], r["severity"], r["unexpected_count"])
        for r in rows
        if not r["success"]
    }


def test_unchanged_scorecard_passes_every_expectation(con):
    rows = run(con)
    assert [(r["expectation"], r["severity"], r["success"]) for r in rows] == [
        ("drift_data_date", "critical", True),
        ("drift_periods_lost", "critical", True),
        ("drift_units_critical", "critical", True),
        ("drift_units_warning", "warning", True),
        ("drift_values_lost", "critical", True),
    ]
    assert {r["check_name"] for r in rows} == {CHECK_NAME}


def test_no_previous_publication_passes(con):
    con.execute(
        "UPDATE new_sc SET value = NULL"
    )  # would be drift if there were anything to compare
    rows = run(con, old=False)
    assert failing(rows) == set()
    assert {r["observed"] for r in rows} == {"no previous publication: nothing to compare"}


def test_new_authority_passes(con):
    con.execute(
        "INSERT INTO new_sc (la_code, kpi_id, unit, period_start, period_label, numerator, denominator, value) "
        "VALUES ('301', 'K1', 'percentage', '2024-06-01', 'Jun 2024', 1, 2, 50)"
    )
    con.execute(
        "INSERT INTO new_auth VALUES ('301', '2099-01-01', '2018-04-01')"
    )  # not judged: nothing to compare
    rows = run(con)
    assert failing(rows) == set()
    assert {r["observed"] for r in rows if r["la_code"] == "301"} == {
        "not in the published snapshot: nothing to compare"
    }


def test_values_lost(con):
    # K1 May and Jun now not available (no numerator, denominator, value): 2 measure-periods lost.
    # (Their units can no longer be compared: not a units change too.)
    con.execute(
        "UPDATE new_sc SET numerator = NULL, denominator = NULL, value = NULL "
        "WHERE kpi_id = 'K1' AND breakdown = 'la' AND period_label IN ('May 2024', 'Jun 2024')"
    )
    rows = run(con)
    assert failing(rows) == {("201", "drift_values_lost", "critical", 2)}
    lost = by_expectation(rows)["drift_values_lost"]
    # the example is the earliest item: K1 May 2024 was 75.0
    assert "e.g. K1 month May 2024: 75.0 -> none" in lost["description"]
    assert lost["observed"].startswith("2 measure-periods lost their value")


def test_a_value_that_was_null_or_had_no_units_is_not_lost(con):
    # K1 Apr had denominator 0 before: nothing to lose. Put that in the old snapshot and null it now.
    con.execute(
        "UPDATE old_sc SET numerator = 0, denominator = 0, value = 0 WHERE kpi_id = 'K1' "
        "AND period_label = 'Apr 2024'"
    )
    con.execute(
        "UPDATE new_sc SET numerator = 0, denominator = 0, value = NULL WHERE kpi_id = 'K1' "
        "AND period_label = 'Apr 2024'"
    )
    assert failing(run(con)) == set()


def test_units_change_thresholds(con):
    # K1 Apr 40 -> 30: 25%, not above the warning share;  K1 May 40 -> 29: 27.5% -> warning;
    # K2 Apr 100 -> 49: 51% -> critical; K2 May 100 -> 150: +50%, not above critical -> warning;
    # K1 Jun 10 -> 2: 80% but both sides under 20 units -> not judged.
    for kpi, label, num, den in [
        ("K1", "Apr 2024", 10, 30),
        ("K1", "May 2024", 20, 29),
        ("K2", "Apr 2024", 49, None),
        ("K2", "May 2024", 150, None),
        ("K1", "Jun 2024", 1, 2),
    ]:
        con.execute(
            "UPDATE new_sc SET numerator = ?, denominator = ? WHERE kpi_id = ? AND period_label = ? "
            "AND breakdown = 'la'",
            [num, den, kpi, label],
        )
    rows = run(con)
    assert failing(rows) == {
        ("201", "drift_units_critical", "critical", 1),
        ("201", "drift_units_warning", "warning", 2),
    }
    critical = by_expectation(rows)["drift_units_critical"]
    assert "K2 month Apr 2024: 100 -> 49 (51%)" in critical["description"]


def test_min_rows_counts_either_side(con):
    # K1 Jun 10 -> 25 units: +150%, the new side reaches 20 units -> critical
    con.execute(
        "UPDATE new_sc SET numerator = 5, denominator = 25 WHERE kpi_id = 'K1' AND period_label = 'Jun 2024' "
        "AND breakdown = 'la'"
    )
    assert failing(run(con)) == {("201", "drift_units_critical", "critical", 1)}


def test_periods_lost_but_not_those_leaving_the_window(con):
    # Jun 2024 disappears for both measures (1 period); Apr 2024 too, but the new window starts
    # on 2024-05-01 (as if the data date had moved on): Apr leaving it is expected.
    con.execute("DELETE FROM new_sc WHERE period_label IN ('Jun 2024', 'Apr 2024')")
    con.execute("UPDATE new_auth SET first_period_start = '2024-05-01'")
    rows = run(con)
    assert failing(rows) == {("201", "drift_periods_lost", "critical", 1)}
    assert (
        "month Jun 2024: published -> missing"
        in by_expectation(rows)["drift_periods_lost"]["description"]
    )


def test_data_date_backwards_or_in_the_future(con):
    con.execute("UPDATE new_auth SET as_at_date = '2024-05-31'")
    rows = run(con)
    assert failing(rows) == {("201", "drift_data_date", "critical", 1)}
    assert "2024-06-30 -> 2024-05-31" in by_expectation(rows)["drift_data_date"]["description"]
    con.execute("UPDATE new_auth SET as_at_date = '2026-12-05'")  # the day after TODAY
    assert failing(run(con)) == {("201", "drift_data_date", "critical", 1)}
    con.execute("UPDATE new_auth SET as_at_date = '2026-12-04'")  # forwards up to today: fine
    assert failing(run(con)) == set()


def drift_everywhere(con):
    """K1 values lost for May (1), K2 Apr units 100 -> 10 (critical), data date backwards."""
    con.execute("UPDATE new_sc SET value = NULL WHERE kpi_id = 'K1' AND period_label = 'May 2024'")
    con.execute(
        "UPDATE new_sc SET numerator = 10 WHERE kpi_id = 'K2' AND period_label = 'Apr 2024'"
    )
    con.execute("UPDATE new_auth SET as_at_date = '2024-05-31'")


def test_accept_the_authority(con):
    drift_everywhere(con)
    rows = run(con, ["201"])
    # nothing blocking; each kind of accepted drift is one info row, not successful, marked
    assert {r["expectation"]: r["success"] for r in rows if r["severity"] != "info"} == {
        "drift_data_date": True,
        "drift_periods_lost": True,
        "drift_units_critical": True,
        "drift_units_warning": True,
        "drift_values_lost": True,
    }
    info = by_expectation(rows, severity="info")
    assert {e: r["unexpected_count"] for e, r in info.items()} == {
        "drift_values_lost": 1,
        "drift_units_critical": 1,
        "drift_data_date": 1,
    }
    assert all(r["observed"].startswith(f"{ACCEPTED_TEXT} (201)") for r in info.values())


def test_accept_one_measure(con):
    drift_everywhere(con)
    rows = run(con, ["201:K2"])
    # K2's units change is accepted; K1's lost value and the data date still hold 201 back
    assert failing(rows) == {
        ("201", "drift_values_lost", "critical", 1),
        ("201", "drift_data_date", "critical", 1),
        ("201", "drift_units_critical", "info", 1),
    }
    assert by_expectation(rows, severity="info")["drift_units_critical"]["observed"].startswith(
        f"{ACCEPTED_TEXT} (201:K2)"
    )


def test_reason_names_the_change(con):
    drift_everywhere(con)
    record(con, [tuple(r.values()) for r in run(con)], "r1", CHECK_NAME)
    reasons = [
        r[0]
        for r in con.execute(
            f"SELECT {REASON_SQL} FROM quality.check_results WHERE severity = 'critical' "
            "AND NOT success ORDER BY expectation"
        ).fetchall()
    ]
    assert reasons[2] == (
        'drift_publication on kpi_scorecard: "Every measure that had a value in the published '
        "snapshot still has one (1 measure-periods lost their value, e.g. K1 month May 2024: "
        '75.0 -> none)" not met (value; 1 failing)'
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        (["884"], ["884"]),
        ("884, 201:K1", ["884", "201:K1"]),
        (["201:K1", "201:K2"], ["201:K1", "201:K2"]),
        (None, []),
    ],
)
def test_parse_accepted(raw, expected):
    assert [str(a) for a in parse_accepted(raw)] == expected


@pytest.mark.parametrize("raw", [":K1", "201:", ["201:"]])
def test_parse_accepted_refuses_half_a_value(raw):
    with pytest.raises(ValueError):
        parse_accepted(raw)
