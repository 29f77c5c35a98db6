"""Tables not delivered are not failures of practice (issue 12), on a hand-made landing
(authority 905) that delivers only CIN-census-like tables: ssd_person, ssd_cin_episodes,
ssd_cin_assessments, ssd_s47_enquiry, ssd_initial_cp_conference, ssd_cp_plans, ssd_cp_reviews.
No ssd_department, ssd_involvements, ssd_cp_visits, ssd_cla_episodes, ext_population, nor any
other table. No record names a team.

Data date 2024-06-30. Published window: six financial years back from 2024-25, so from
2018-04-01: 75 months (Apr 2018 - Jun 2024), 25 quarters (2018-19 Q1 - 2024-25 Q1), 6 years
(2018-19 - 2023-24; 2024-25 is not complete) = 106 periods. Without ssd_department the only
levels are the authority, service area -1 and team -1: 106 x 3 = 318 rows per measure.

Working days (wd(a, b): d with a < d <= b, Mon-Fri, bank holidays 2024-03-29, 2024-04-01,
2024-05-06, 2024-05-27 in play):
  wd(1 Mar, 31 May) = Mar 4-28 (19: the 29th is Good Friday) + Apr 2-30 (21: the 1st is Easter
                      Monday) + May (21: 23 weekdays less the 6th and 27th) = 61
  wd(1 May, 31 May) = 2-3 | 7-10 | 13-17 | 20-24 | 28-31 = 2 + 4 + 5 + 5 + 4 = 20
  wd(3 Jun, 3 Jun)  = 0 (same day)
  wd(13 May, 31 May) = 14-17 | 20-24 | 28-31 = 4 + 5 + 4 = 13

Assessments (authorised in): A01 C01 1 May -> 31 May, 20 wd, met; A02 C05 1 Mar -> 31 May,
61 wd, not met (over 45); A03 C03 started 13 May, not authorised: not counted; A04 C08 3 Jun ->
3 Jun, 0 wd, met. So May 1 / 2 = 50% (Red: target 95, Amber from 90), June 1 / 1 = 100% (Green),
2024-25 Q1 2 / 3 = 66.667% (Red).

CP plans (start, end): P01 C01 2024-01-10 open; P02 C02 2023-12-01 to 2024-05-31; P03 C03
2024-05-31 open; P04 C04 2024-02-01 open; P05 C05 2024-03-15 open; P06 C06 2024-04-01 open;
P07 C07 2023-06-01 to 2024-04-30; P08 C08 2024-06-12 open. Open at (rule 1: an end on the day is
not open, a start on the day is):
  31 Mar 2024: P01, P02, P04, P05, P07 = 5 (year 2023-24)
  30 Apr 2024: P01, P02, P04, P05, P06 = 5 (P07 ends that day)
  31 May 2024: P01, P03, P04, P05, P06 = 5 (P02 ends, P03 starts that day)
  30 Jun 2024: those five and P08 = 6 (also 2024-25 Q1)
Target range 135-155: every one Red.

Referrals (cine_referral_date): R03 on 2024-05-13 is May's only one, R08 on 2024-06-03 June's.
There is no population: referrals_rate_10k keeps its count and has no rate (rule 5).

Not available (catalogue needs, seeds/kpi_catalogue.csv):
  cp_visits_10wd needs fct_cp_plans (delivered) and fct_visits:cp (ssd_cp_visits: not);
  unallocated_cases needs fct_referrals, fct_cp_plans (delivered), fct_cla_episodes
  (ssd_cla_episodes: not) and fct_allocations (ssd_involvements: not), reasons in that order;
  cla_open needs fct_cla_episodes: no unit of it exists anywhere, it is published all the same.
"""

import pytest

from tests.integration.kpi.conftest import KPI_FIXTURES

LANDING = KPI_FIXTURES / "availability"
LA = "905"
PERIODS_X_LEVELS = 318  # 106 periods x (authority, service area -1, team -1)
DELIVERED = [
    "ssd_cin_assessments",
    "ssd_cin_episodes",
    "ssd_cp_plans",
    "ssd_cp_reviews",
    "ssd_initial_cp_conference",
    "ssd_person",
    "ssd_s47_enquiry",
]
pytestmark = pytest.mark.slow


def value(published, kpi_id, period_type, label, breakdown="la", breakdown_id=LA):
    numerator, denominator, val, _target, rag, _direction = published.scorecard(
        kpi_id, period_type, label, breakdown, breakdown_id
    )
    return numerator, denominator, None if val is None else round(val, 3), rag


def published_rows(published, kpi_id):
    """Distinct (numerator, denominator, value, rag, direction, is_available, reason) of every
    row of the measure, and how many rows."""
    distinct = published.query(
        """SELECT DISTINCT numerator, denominator, value, rag, direction, is_available, not_available_reason
           FROM kpi_scorecard WHERE la_code = ? AND kpi_id = ?""",
        (LA, kpi_id),
    )
    ((count,),) = published.query(
        "SELECT count(*) FROM kpi_scorecard WHERE la_code = ? AND kpi_id = ?", (LA, kpi_id)
    )
    return distinct, count


def test_the_run_publishes(published_fixture):
    assert published_fixture.exit_code == 0


def test_cp_visits_not_available_without_ssd_cp_visits(published_fixture):
    distinct, count = published_rows(published_fixture, "cp_visits_10wd")
    assert distinct == [(None, None, None, None, None, False, "ssd_cp_visits not delivered")]
    assert count == PERIODS_X_LEVELS


def test_unallocated_cases_not_available_without_allocations_and_looked_after_episodes(
    published_fixture,
):
    distinct, count = published_rows(published_fixture, "unallocated_cases")
    assert distinct == [
        (
            None,
            None,
            None,
            None,
            None,
            False,
            "ssd_cla_episodes or ssda903_episodes not delivered; ssd_involvements not delivered",
        )
    ]
    assert count == PERIODS_X_LEVELS


def test_a_measure_with_no_unit_anywhere_is_published_as_not_available(published_fixture):
    distinct, count = published_rows(published_fixture, "cla_open")
    assert distinct == [
        (None, None, None, None, None, False, "ssd_cla_episodes or ssda903_episodes not delivered")
    ]
    assert count == PERIODS_X_LEVELS


def test_assessments_45wd_from_the_tables_delivered(published_fixture):
    assert value(published_fixture, "assessments_45wd", "month", "May 2024") == (1, 2, 50.0, "Red")
    assert value(published_fixture, "assessments_45wd", "month", "Jun 2024") == (
        1,
        1,
        100.0,
        "Green",
    )
    assert value(published_fixture, "assessments_45wd", "quarter", "2024-25 Q1") == (
        2,
        3,
        66.667,
        "Red",
    )
    distinct, count = published_rows(published_fixture, "assessments_45wd")
    assert {(r[5], r[6]) for r in distinct} == {(True, None)} and count == PERIODS_X_LEVELS


def test_cp_plans_open_from_the_tables_delivered(published_fixture):
    assert value(published_fixture, "cp_plans_open", "year", "2023-24") == (5, None, 5, "Red")
    assert value(published_fixture, "cp_plans_open", "month", "Apr 2024") == (5, None, 5, "Red")
    assert value(published_fixture, "cp_plans_open", "month", "May 2024") == (5, None, 5, "Red")
    assert value(published_fixture, "cp_plans_open", "month", "Jun 2024") == (6, None, 6, "Red")
    assert value(published_fixture, "cp_plans_open", "quarter", "2024-25 Q1") == (6, None, 6, "Red")


def test_every_unit_is_in_team_minus_1(published_fixture):
    levels = published_fixture.query(
        "SELECT DISTINCT breakdown, breakdown_id FROM kpi_scorecard WHERE la_code = ? ORDER BY 1, 2",
        (LA,),
    )
    assert levels == [("la", LA), ("service_area", "-1"), ("team", "-1")]
    # 5 children are not suppressed (only 0 < count < 5 is): the team shows the authority's count
    assert value(published_fixture, "cp_plans_open", "month", "May 2024", "team", "-1") == (
        5,
        None,
        5,
        "Red",
    )
    assert value(published_fixture, "cp_plans_open", "month", "Jun 2024", "service_area", "-1") == (
        6,
        None,
        6,
        "Red",
    )
    for detail in ("kpi_assessments_45wd_detail", "kpi_cp_plans_open_detail"):
        assert published_fixture.query(
            f"SELECT DISTINCT team_id, service_area_id FROM {detail}"
        ) == [("-1", "-1")]
    # the warehouse keeps the team's small numbers that publication suppresses (2 assessments)
    rows = published_fixture.query_warehouse(
        """SELECT numerator, denominator, value FROM kpi.kpi_scorecard WHERE kpi_id = 'assessments_45wd'
           AND period_label = 'May 2024' AND breakdown = 'team' AND breakdown_id = '-1'"""
    )
    assert rows == [(1, 2, 50.0)]


def test_rates_without_a_population_keep_the_count(published_fixture):
    # rule 5: no population row gives a NULL rate, the count still shown; available all the same
    assert value(published_fixture, "referrals_rate_10k", "month", "May 2024") == (
        1,
        None,
        None,
        None,
    )
    assert value(published_fixture, "referrals_rate_10k", "quarter", "2024-25 Q1") == (
        2,
        None,
        None,
        None,
    )
    distinct, _ = published_rows(published_fixture, "referrals_rate_10k")
    assert {(r[5], r[6]) for r in distinct} == {(True, None)}


def test_availability_is_published_per_measure(published_fixture):
    rows = dict(
        published_fixture.query(
            "SELECT kpi_id, not_available_reason FROM kpi_measure_availability WHERE la_code = ?",
            (LA,),
        )
    )
    assert rows["cp_visits_10wd"] == "ssd_cp_visits not delivered"
    assert rows["assessments_45wd"] is None and rows["cp_plans_open"] is None
    assert rows["icpc_15wd"] is None  # ICPCs and S47 enquiries both delivered


def test_no_blocking_check_failed(published_fixture):
    failed = published_fixture.query_warehouse(
        """SELECT check_name, table_name, expectation, column_name FROM quality.check_results
           WHERE severity = 'critical' AND NOT success"""
    )
    assert failed == []


def test_quality_report_lists_the_tables_delivered(published_fixture):
    from orchestration.lib.settings import load_settings

    rows = published_fixture.query_warehouse(
        """SELECT table_name, extract_date::VARCHAR, measures FROM quality.dq_deliveries
           WHERE la_code = '905' AND delivered
           QUALIFY run_id = last_value(run_id) OVER (ORDER BY reported_at
                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
           ORDER BY table_name"""
    )
    assert [r[0] for r in rows] == DELIVERED
    assert {r[1] for r in rows} == {"2024-06-30"}
    measures = {r[0]: r[2] for r in rows}
    assert (
        "assessments_45wd" in measures["ssd_cin_assessments"]
        and "cp_visits_10wd" in measures["ssd_cp_plans"]
    )
    page = (load_settings().quality_dir / "report" / "905.html").read_text()
    section = page[page.index("Tables delivered and the measures they feed") :]
    assert "7 of " in section and "ssd_cp_visits not delivered" in section
    assert (
        "ssd_cla_episodes or ssda903_episodes not delivered; ssd_involvements not delivered"
        in section
    )
