"""KPI completeness and consistency on hand-made tables (in-memory DuckDB).

One authority 201; periods Jan, Feb, Mar 2024 (months) and 2023-24 Q4; dim_team has two teams
T1 and T2 in service area S1, so the levels are: la 201, service_area S1, team T1, team T2.
Catalogue: K1 (percentage, implemented: it has rows in int_kpi_results) and K2 (count, not
implemented). Expected scorecard rows for K1: 4 periods x 4 levels = 16; K2: none expected.
Both are available (kpi_measure_availability); the not-available tests add K3, a percentage
whose tables 201 never delivered: no results, 16 rows expected all the same.
"""

import duckdb
import pytest

from orchestration.lib.quality import run_suite
from orchestration.lib.quality.aggregates import kpi_completeness_frames, kpi_completeness_sql

RELATIONS = {
    "scorecard": "sc",
    "catalogue": "cat",
    "results": "res",
    "periods": "per",
    "teams": "team",
    "availability": "avail",
}
PERIODS = [
    ("month", "2024-01-01", "2024-01-31"),
    ("month", "2024-02-01", "2024-02-29"),
    ("month", "2024-03-01", "2024-03-31"),
    ("quarter", "2024-01-01", "2024-03-31"),
]
LEVELS = [("la", "201"), ("service_area", "S1"), ("team", "T1"), ("team", "T2")]


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE cat (kpi_id VARCHAR, unit VARCHAR)")
    c.execute("INSERT INTO cat VALUES ('K1', 'percentage'), ('K2', 'count')")
    c.execute("CREATE TABLE res (kpi_id VARCHAR)")
    c.execute("INSERT INTO res VALUES ('K1')")
    c.execute(
        "CREATE TABLE per (la_code VARCHAR, period_type VARCHAR, period_start DATE, period_end DATE)"
    )
    c.executemany("INSERT INTO per VALUES ('201', ?, ?, ?)", PERIODS)
    c.execute("CREATE TABLE team (la_code VARCHAR, team_id VARCHAR, service_area_id VARCHAR)")
    c.execute("INSERT INTO team VALUES ('201', 'T1', 'S1'), ('201', 'T2', 'S1')")
    c.execute("CREATE TABLE avail (la_code VARCHAR, kpi_id VARCHAR, is_available BOOLEAN)")
    c.execute("INSERT INTO avail VALUES ('201', 'K1', true), ('201', 'K2', true)")
    c.execute("""CREATE TABLE sc (la_code VARCHAR, kpi_id VARCHAR, period_type VARCHAR, period_start DATE,
                 breakdown VARCHAR, breakdown_id VARCHAR, numerator DOUBLE, denominator DOUBLE, value DOUBLE,
                 unit VARCHAR, rag VARCHAR, direction VARCHAR, is_available BOOLEAN, not_available_reason VARCHAR)""")
    for ptype, start, _ in PERIODS:
        for breakdown, bid in LEVELS:
            c.execute(
                "INSERT INTO sc VALUES ('201', 'K1', ?, ?, ?, ?, 3, 4, 75.0, 'percentage', 'Red', NULL, true, NULL)",
                [ptype, start, breakdown, bid],
            )
    # a zero denominator gives NULL, which is consistent
    c.execute(
        "UPDATE sc SET numerator = 0, denominator = 0, value = NULL WHERE breakdown_id = 'T2' "
        "AND period_type = 'quarter'"
    )
    yield c
    c.close()


def aggregate(con):
    rows = con.execute(kpi_completeness_sql(RELATIONS)).fetchall()
    names = [d[0] for d in con.description]
    return {r[1]: dict(zip(names, r)) for r in rows}


def outcome(con):
    return run_suite("kpi_completeness", kpi_completeness_frames(con, RELATIONS), sample_size=1000)


def failed(o):
    return {(x.column, x.severity) for x in o.failures}


def test_complete_scorecard_passes(con):
    agg = aggregate(con)
    assert (agg["K1"]["expected_rows"], agg["K1"]["scorecard_rows"], agg["K1"]["missing_rows"]) == (
        16,
        16,
        0,
    )
    assert agg["K1"]["period_gaps"] == 0 and agg["K1"]["value_mismatches"] == 0
    assert (agg["K2"]["implemented"], agg["K2"]["expected_rows"], agg["K2"]["published"]) == (
        False,
        0,
        False,
    )
    o = outcome(con)
    assert o.passed
    # K2 is in the catalogue but not published: reported as info only
    assert failed(o) == {("published", "info")}


def test_a_missing_middle_month_is_a_critical_gap(con):
    con.execute(
        "DELETE FROM sc WHERE breakdown_id = 'T1' AND period_start = '2024-02-01' AND period_type = 'month'"
    )
    agg = aggregate(con)["K1"]
    assert (agg["missing_rows"], agg["period_gaps"]) == (1, 1)  # Jan -> Mar for T1
    o = outcome(con)
    assert not o.passed
    assert {("missing_rows", "critical"), ("period_gaps", "critical")} <= failed(o)


def test_a_missing_first_month_is_missing_but_not_a_gap(con):
    con.execute(
        "DELETE FROM sc WHERE breakdown = 'la' AND period_start = '2024-01-01' AND period_type = 'month'"
    )
    agg = aggregate(con)["K1"]
    assert (agg["missing_rows"], agg["period_gaps"]) == (1, 0)
    assert ("missing_rows", "critical") in failed(outcome(con))


def test_missing_period_in_dim_period_level_is_caught(con):
    # a whole period missing from the scorecard at every level: 4 rows missing
    con.execute("DELETE FROM sc WHERE period_type = 'quarter'")
    assert aggregate(con)["K1"]["missing_rows"] == 4


def test_value_inconsistent_with_numerator_and_denominator(con):
    con.execute(
        "UPDATE sc SET value = 80 WHERE breakdown = 'la' AND period_type = 'quarter'"
    )  # 3/4 = 75
    assert aggregate(con)["K1"]["value_mismatches"] == 1
    assert ("value_mismatches", "critical") in failed(outcome(con))


def test_zero_denominator_with_a_value_is_inconsistent(con):
    con.execute("UPDATE sc SET value = 0 WHERE breakdown_id = 'T2' AND period_type = 'quarter'")
    assert aggregate(con)["K1"]["value_mismatches"] == 1


def test_numerator_above_denominator(con):
    con.execute(
        "UPDATE sc SET numerator = 5, value = 125 WHERE breakdown = 'team' AND breakdown_id = 'T1' "
        "AND period_start = '2024-03-01' AND period_type = 'month'"
    )
    agg = aggregate(con)["K1"]
    assert (agg["numerator_over_denominator"], agg["value_mismatches"]) == (1, 0)
    assert ("numerator_over_denominator", "critical") in failed(outcome(con))


def test_duplicate_row(con):
    con.execute(
        "INSERT INTO sc SELECT * FROM sc WHERE breakdown = 'la' AND period_type = 'quarter'"
    )
    agg = aggregate(con)["K1"]
    assert (agg["duplicate_rows"], agg["missing_rows"]) == (1, 0)
    assert ("duplicate_rows", "critical") in failed(outcome(con))


# --- measures not available (a table they need was never delivered) -------------------------


def add_not_available_k3(con):
    """K3: a percentage 201 cannot have; 16 rows with nothing measured and the reason."""
    con.execute("INSERT INTO cat VALUES ('K3', 'percentage')")
    con.execute("INSERT INTO avail VALUES ('201', 'K3', false)")
    con.execute("""INSERT INTO sc SELECT la_code, 'K3', period_type, period_start, breakdown, breakdown_id,
                   NULL, NULL, NULL, 'percentage', NULL, NULL, false, 'ssd_cp_visits not delivered'
                   FROM sc WHERE kpi_id = 'K1'""")


def test_not_available_measure_is_expected_complete_and_consistent(con):
    add_not_available_k3(con)
    k3 = aggregate(con)["K3"]
    # implemented through its availability although it has no results: 4 periods x 4 levels
    assert (k3["implemented"], k3["expected_rows"], k3["scorecard_rows"], k3["missing_rows"]) == (
        True,
        16,
        16,
        0,
    )
    assert (
        k3["not_available_rows"],
        k3["availability_mismatches"],
        k3["availability_conflicts"],
    ) == (16, 0, 0)
    assert (k3["value_mismatches"], k3["available"]) == (0, False)
    assert aggregate(con)["K1"]["available"] is True
    o = outcome(con)
    assert o.passed
    assert failed(o) == {("published", "info"), ("available", "info")}


def test_a_missing_row_of_a_not_available_measure_is_caught(con):
    add_not_available_k3(con)
    con.execute(
        "DELETE FROM sc WHERE kpi_id = 'K3' AND breakdown_id = 'T2' AND period_type = 'quarter'"
    )
    assert aggregate(con)["K3"]["missing_rows"] == 1
    assert ("missing_rows", "critical") in failed(outcome(con))


def test_not_available_row_with_a_value_is_caught(con):
    add_not_available_k3(con)
    con.execute(
        "UPDATE sc SET numerator = 0, denominator = 1, value = 0 WHERE kpi_id = 'K3' "
        "AND breakdown = 'la' AND period_type = 'quarter'"
    )
    assert aggregate(con)["K3"]["availability_mismatches"] == 1
    assert ("availability_mismatches", "critical") in failed(outcome(con))


def test_not_available_row_without_a_reason_is_caught(con):
    add_not_available_k3(con)
    con.execute(
        "UPDATE sc SET not_available_reason = NULL WHERE kpi_id = 'K3' AND breakdown_id = 'T1'"
    )
    assert aggregate(con)["K3"]["availability_mismatches"] == 4  # T1 in 4 periods
    assert ("availability_mismatches", "critical") in failed(outcome(con))


def test_available_row_without_a_numerator_is_caught(con):
    # a not-available NULL leaking into a measure that is available
    con.execute(
        "UPDATE sc SET numerator = NULL, value = NULL WHERE kpi_id = 'K1' AND breakdown = 'la' "
        "AND period_type = 'quarter'"
    )
    assert aggregate(con)["K1"]["availability_mismatches"] == 1
    assert ("availability_mismatches", "critical") in failed(outcome(con))


def test_measure_both_available_and_not_is_caught(con):
    # one K1 row published as not available (and consistent in itself): 15 available, 1 not
    con.execute("""UPDATE sc SET numerator = NULL, denominator = NULL, value = NULL, rag = NULL,
                   is_available = false, not_available_reason = 'ssd_cp_visits not delivered'
                   WHERE kpi_id = 'K1' AND breakdown_id = 'T1' AND period_type = 'quarter'""")
    agg = aggregate(con)["K1"]
    assert (agg["availability_mismatches"], agg["availability_conflicts"], agg["available"]) == (
        0,
        1,
        False,
    )
    assert ("availability_conflicts", "critical") in failed(outcome(con))
