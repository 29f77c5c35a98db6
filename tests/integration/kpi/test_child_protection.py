"""Child protection and children in need measures on a hand-made landing (authority 902).

Data date 2024-06-30 (a Sunday). Department: SA1 (service area) with teams T1 and T2.
Population 20,000 children aged 0-17 in 2023-24 and 2024-25.

Working days: wd(a, b) counts the days d with a < d <= b, Monday to Friday, no bank holidays.
Bank holidays in play: 2024-03-29 (Good Friday), 2024-04-01 (Easter Monday), 2024-05-06 and
2024-05-27 (May bank holidays). Counts used below (May 2024 has 21 working days, June 20):

  wd(15 May, 31 May) = 16, 17 | 20-24 | 28-31 (27th BH)          = 2 + 5 + 4 = 11
  wd(16 May, 31 May) = 17 | 20-24 | 28-31                         = 1 + 5 + 4 = 10
  wd(17 May, 31 May) = 20-24 | 28-31                              = 9
  wd(30 Apr, 31 May) = 1-3 | 7-10 (6th BH) | 13-17 | 20-24 | 28-31 = 3 + 4 + 5 + 5 + 4 = 21
  wd(1 May, 31 May)  = 20;  wd(2 May, 31 May) = 19
  wd(30 Apr, 8 May)  = 1, 2, 3, 7, 8 = 5;  wd(1 May, 10 May) = 2, 3, 7, 8, 9, 10 = 6

Child protection plans (C = child; all plans of category NEGLECT):

  plan  child start       end         notes
  P01   C01   2024-01-10  -           allocated T1 (W1) from 2024-01-10; also an open CIN plan
  P02   C02   2023-12-01  2024-05-31  ends on the May period end: not open on 31 May
  P03   C03   2024-05-31  -           starts on the May period end: open on 31 May; T2 from 31 May
  P04   C04   2024-05-16  -           T1 from 16 May
  P05   C05   2024-05-15  -           never allocated
  P06   C06   2024-02-01  -           T2 from 1 Feb
  P07A  C07   2021-06-01  2022-06-10  then P07B from 2024-06-10: 731 days after P07A ended
  P08A  C08   2021-06-01  2022-06-11  then P08B from 2024-06-10: 730 days; T1 from 10 Jun
  P09   C09   2024-06-03  -           a first plan
  P10   C10   2022-05-01  2024-04-30  730 days (2022-05-01 -> 2023-05-01 = 365, -> 2024-04-30 = 365)
  P11   C11   2022-05-02  2024-04-30  729 days
  P12   C12   2023-11-30  2024-03-28  review 2024-02-29 (due 30 Nov + 3 months = 29 Feb 2024)
  P13   C13   2023-11-30  2024-03-28  review 2024-03-01 (1 day late)
  P14   C14   2023-06-15  2024-03-28  reviews 2023-09-10 (due 15 Sep) and 2024-03-11 (due
                                      10 Sep + 6 months = 10 Mar: the schedule counts from the
                                      actual review, not from the 15 Sep due date)
"""

from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.pseudonymise import pseudonym
from tests.integration.kpi.conftest import KPI_FIXTURES

LANDING = KPI_FIXTURES / "child_protection"
LA = "902"
KEY = "test-key"  # CSCW_PSEUDONYM_KEY set by tests/conftest.py
pytestmark = pytest.mark.slow


def child(person_id: str) -> str:
    return pseudonym(KEY, f"person|{LA}|{person_id}")


def value(published, kpi_id, period_type, label, breakdown="la", breakdown_id=LA):
    numerator, denominator, val, *_ = published.scorecard(
        kpi_id, period_type, label, breakdown, breakdown_id
    )
    return numerator, denominator, None if val is None else round(val, 3)


def team_units(published, kpi_id, date_column, first_day, last_day, team_id):
    """(numerator, denominator) of a team from the published detail table. The team rows of
    the published scorecard are suppressed here (fewer than 5 units, docs/privacy.md), so the
    breakdown is checked on the units behind it, which is what the scorecard sums."""
    rows = published.query(
        f"""SELECT sum(numerator), sum(denominator) FROM kpi_{kpi_id}_detail
            WHERE team_id = ? AND {date_column} BETWEEN ?::DATE AND ?::DATE""",
        (team_id, first_day, last_day),
    )
    numerator, denominator = rows[0]
    return numerator, denominator


def team_row_suppressed(published, kpi_id, period_label, team_id):
    rows = published.query(
        """SELECT suppressed, numerator FROM kpi_scorecard WHERE kpi_id = ? AND period_type = 'month'
           AND period_label = ? AND breakdown = 'team' AND breakdown_id = ?""",
        (kpi_id, period_label, team_id),
    )
    return rows == [(True, None)]


# --- cp_plans_open and cp_rate_10k -----------------------------------------------------------


def test_cp_plans_open_at_period_ends(published_fixture):
    # 30 Apr: P01, P02, P06 (P10 and P11 end on 30 Apr: not open; P12-P14 ended 28 Mar) = 3
    assert value(published_fixture, "cp_plans_open", "month", "Apr 2024") == (3, None, 3)
    # 31 May: P01, P03 (starts that day), P04, P05, P06; P02 ends that day = 5
    assert value(published_fixture, "cp_plans_open", "month", "May 2024") == (5, None, 5)
    # 30 Jun: the five above + P07B, P08B, P09 = 8; the quarter ends the same day
    assert value(published_fixture, "cp_plans_open", "month", "Jun 2024") == (8, None, 8)
    assert value(published_fixture, "cp_plans_open", "quarter", "2024-25 Q1") == (8, None, 8)
    # 31 Mar 2024 (year 2023-24): P01, P02, P06, P10, P11 = 5
    assert value(published_fixture, "cp_plans_open", "year", "2023-24") == (5, None, 5)


def test_cp_rate_per_10k(published_fixture):
    # 5 children / 20,000 x 10,000 = 2.5 (snapshot: not annualised)
    assert value(published_fixture, "cp_rate_10k", "month", "May 2024") == (5, 20000, 2.5)


def test_cp_plans_open_detail_lists_the_plan_and_team(published_fixture):
    rows = published_fixture.query(
        """SELECT child_key, team_id FROM kpi_cp_plans_open_detail
           WHERE snapshot_date = DATE '2024-05-31' ORDER BY child_key"""
    )
    expected = {
        child("C01"): "T1",
        child("C03"): "T2",
        child("C04"): "T1",
        child("C05"): "-1",
        child("C06"): "T2",
    }
    assert dict(rows) == expected


# --- second plans and long plans -------------------------------------------------------------


def test_cp_second_plan_2y(published_fixture):
    # May starts P03, P04, P05: first plans = 0 / 3
    assert value(published_fixture, "cp_second_plan_2y", "month", "May 2024") == (0, 3, 0)
    # June starts P07B (731 days: no), P08B (730 days: yes), P09 (first) = 1 / 3
    assert value(published_fixture, "cp_second_plan_2y", "month", "Jun 2024") == (1, 3, 33.333)
    # by team (allocated team on the start date): C08 is in T1 from 10 Jun; C07, C09 unknown
    june = ("reference_date", "2024-06-01", "2024-06-30")
    assert team_units(published_fixture, "cp_second_plan_2y", *june, "T1") == (1, 1)
    assert team_units(published_fixture, "cp_second_plan_2y", *june, "-1") == (0, 2)
    assert team_row_suppressed(published_fixture, "cp_second_plan_2y", "Jun 2024", "T1")
    # quarter Q1 2024-25 = the six starts of May and June: 1 / 6
    assert value(published_fixture, "cp_second_plan_2y", "quarter", "2024-25 Q1") == (1, 6, 16.667)


def test_cp_second_plan_ever(published_fixture):
    # June: P07B and P08B follow earlier plans, P09 does not = 2 / 3
    assert value(published_fixture, "cp_second_plan_ever", "month", "Jun 2024") == (2, 3, 66.667)


def test_cp_plans_2y_plus(published_fixture):
    # April ends: P10 (730 days: counts), P11 (729 days) = 1 / 2
    assert value(published_fixture, "cp_plans_2y_plus", "month", "Apr 2024") == (1, 2, 50)
    # March ends: P12, P13, P14, all under 730 days = 0 / 3
    assert value(published_fixture, "cp_plans_2y_plus", "month", "Mar 2024") == (0, 3, 0)
    # Q1 2024-25: P10, P11 (April) and P02 (31 May, 182 days) = 1 / 3
    assert value(published_fixture, "cp_plans_2y_plus", "quarter", "2024-25 Q1") == (1, 3, 33.333)


# --- CP visits and core groups at 31 May 2024 ------------------------------------------------


def test_cp_visits_10wd(published_fixture):
    # C01: seen 17 May (a later visit on 30 May was not seen: ignored): 9 wd          met
    # C03: plan starts 31 May, not yet visited: 0 wd from plan start                 met
    # C04: plan started 16 May, not yet visited: 10 wd                                met
    # C05: plan started 15 May; seen 10 May, before the plan (ignored): 11 wd         not met
    # C06: seen 15 May (a visit on 29 May with no seen flag = not seen): 11 wd        not met
    assert value(published_fixture, "cp_visits_10wd", "month", "May 2024") == (3, 5, 60)
    # by allocated team at 31 May: T1 = C01, C04; T2 = C03 (from 31 May), C06; C05 unallocated
    may = ("snapshot_date", "2024-05-31", "2024-05-31")
    assert team_units(published_fixture, "cp_visits_10wd", *may, "T1") == (2, 2)
    assert team_units(published_fixture, "cp_visits_10wd", *may, "T2") == (1, 2)
    assert team_units(published_fixture, "cp_visits_10wd", *may, "-1") == (0, 1)
    rows = published_fixture.query(
        """SELECT child_key, working_days, is_met, latest_visit_date FROM kpi_cp_visits_10wd_detail
           WHERE snapshot_date = DATE '2024-05-31'"""
    )
    by_child = {r[0]: r[1:] for r in rows}
    assert by_child[child("C01")][:2] == (9, True)
    assert by_child[child("C04")] == (10, True, None)
    assert by_child[child("C05")] == (11, False, None)
    assert by_child[child("C06")][:2] == (11, False)


def test_core_groups_timely(published_fixture):
    # C01: latest core group 30 Apr: 21 wd > 20                                        not met
    # C03: plan starts 31 May, no core group: 0 wd <= 10                               met
    # C04: plan started 16 May, no core group: 10 wd <= 10                             met
    # C05: core group 10 May is before the plan start (15 May): no core group, 11 wd   not met
    # C06: core group 1 May: 20 wd <= 20                                               met
    assert value(published_fixture, "core_groups_timely", "month", "May 2024") == (3, 5, 60)


def test_core_group_records_5wd(published_fixture):
    # G01 (30 Apr, distributed 8 May: 5 wd, 6 May bank holiday) met
    assert value(published_fixture, "core_group_records_5wd", "month", "Apr 2024") == (1, 1, 100)
    # G06 (1 May -> 10 May: 6 wd) not met; G05 (10 May, never distributed) not met
    assert value(published_fixture, "core_group_records_5wd", "month", "May 2024") == (0, 2, 0)
    assert value(published_fixture, "core_group_records_5wd", "quarter", "2024-25 Q1") == (
        1,
        3,
        33.333,
    )


# --- CP reviews ------------------------------------------------------------------------------


def test_cp_reviews_timely(published_fixture):
    # Feb 2024: P12 first review 29 Feb, due 29 Feb (30 Nov + 3 months, clipped) met
    assert value(published_fixture, "cp_reviews_timely", "month", "Feb 2024") == (1, 1, 100)
    # Mar 2024: P13 first review 1 Mar, due 29 Feb; P14 second review 11 Mar, due 10 Mar
    assert value(published_fixture, "cp_reviews_timely", "month", "Mar 2024") == (0, 2, 0)
    # Sep 2023: P14 first review 10 Sep, due 15 Sep met
    assert value(published_fixture, "cp_reviews_timely", "month", "Sep 2023") == (1, 1, 100)
    assert value(published_fixture, "cp_reviews_timely", "quarter", "2023-24 Q4") == (1, 3, 33.333)
    assert value(published_fixture, "cp_reviews_timely", "year", "2023-24") == (2, 4, 50)
    due = published_fixture.query(
        "SELECT review_number, due_date::VARCHAR FROM kpi_cp_reviews_timely_detail WHERE child_key = ? ORDER BY 1",
        (child("C14"),),
    )
    assert due == [(1, "2023-09-15"), (2, "2024-03-10")]


# --- children in need ------------------------------------------------------------------------


def test_cin_open_and_rate(published_fixture):
    # 31 May: C15 (referred 1 Mar), C17 (referred 31 May), C18 (15 Jan); C16 closed 31 May = 3
    assert value(published_fixture, "cin_open", "month", "May 2024") == (3, None, 3)
    # 30 Apr: C15, C16, C18 = 3
    assert value(published_fixture, "cin_open", "month", "Apr 2024") == (3, None, 3)
    # 3 / 20,000 x 10,000 = 1.5
    assert value(published_fixture, "cin_rate_10k", "month", "May 2024") == (3, 20000, 1.5)


def team_row(published, kpi_id, period_label, breakdown, breakdown_id):
    """(numerator, denominator, value) of a month's unsuppressed scorecard row (the warehouse)."""
    rows = published.query_warehouse(
        """SELECT numerator, denominator, value FROM kpi.kpi_scorecard
           WHERE kpi_id = getvariable('kpi_id') AND period_type = 'month' AND period_label = getvariable('label')
             AND breakdown = getvariable('breakdown') AND breakdown_id = getvariable('breakdown_id')""",
        {
            "kpi_id": kpi_id,
            "label": period_label,
            "breakdown": breakdown,
            "breakdown_id": breakdown_id,
        },
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_cin_open_team_of_an_unallocated_child(published_fixture):
    # Rule 35, 31 May: C15 allocated to W2 (T2), C18 to W1 (T1); C17 has no allocation: the
    # team recorded on the open referral E17, T1 (its CIN plan N17 records T2, which cin_open
    # does not use). T1 = C17, C18 = 2; T2 = C15 = 1; -1 none. Before issue 17 C17 went to -1.
    assert team_row(published_fixture, "cin_open", "May 2024", "team", "T1") == (2, None, 2)
    assert team_row(published_fixture, "cin_open", "May 2024", "team", "T2") == (1, None, 1)
    assert team_row(published_fixture, "cin_open", "May 2024", "team", "-1") == (0, None, 0)
    # Rule 38: a rate per 10,000 has no team population: team rows carry the count only
    assert team_row(published_fixture, "cin_rate_10k", "May 2024", "team", "T1") == (2, None, None)
    assert team_row(published_fixture, "cin_rate_10k", "May 2024", "service_area", "SA1") == (
        3,
        None,
        None,
    )


def test_cin_visits_20wd_team_of_an_unallocated_child(published_fixture):
    # Rule 35, 31 May: C17 (no allocation) counts in the team of its open CIN plan N17, T2 (not
    # its referral's T1): T2 = C15 (met) + C17 (met) = 2 / 2; T1 = C18 (not met) = 0 / 1; -1
    # none. Before issue 17 C17 went to -1 (1 / 1) and T2 was 1 / 1.
    assert team_row(published_fixture, "cin_visits_20wd", "May 2024", "team", "T2") == (2, 2, 100.0)
    assert team_row(published_fixture, "cin_visits_20wd", "May 2024", "team", "T1") == (0, 1, 0.0)
    assert team_row(published_fixture, "cin_visits_20wd", "May 2024", "team", "-1")[:2] == (0, 0)


def test_cin_visits_20wd(published_fixture):
    # C15: CIN plan from 5 Mar, seen 2 May: 19 wd                                     met
    # C17: CIN plan starts 31 May, not visited: 0 wd                                  met
    # C18: seen 30 Apr (visit of 20 May not seen: ignored): 21 wd                     not met
    # C01 has an open CIN plan but also an open CP plan: excluded
    # C19's CIN plan ends 31 May: not open
    assert value(published_fixture, "cin_visits_20wd", "month", "May 2024") == (2, 3, 66.667)
    rows = published_fixture.query(
        """SELECT count(*) FROM kpi_cin_visits_20wd_detail
           WHERE child_key = ? AND snapshot_date = DATE '2024-05-31'""",
        (child("C01"),),
    )
    assert rows == [(0,)]


def test_cin_reviews_timely(published_fixture):
    # C19 (plan 30 Nov 2023): first review 29 Feb 2024, due 29 Feb               met (Feb)
    #                         second 30 May, due 29 Feb + 3 months = 29 May      not met (May)
    # C18 (plan 1 Feb): first review 25 Apr, due 1 May                          met (Apr)
    # C15 (plan 5 Mar): first review 5 Jun, due 5 Jun                            met (Jun)
    assert value(published_fixture, "cin_reviews_timely", "month", "Feb 2024") == (1, 1, 100)
    assert value(published_fixture, "cin_reviews_timely", "month", "May 2024") == (0, 1, 0)
    assert value(published_fixture, "cin_reviews_timely", "quarter", "2024-25 Q1") == (2, 3, 66.667)


def test_unallocated_cases(published_fixture):
    # Open at 31 May with no open allocation: C05 (CP plan), C17 (CIN episode), C20 (looked
    # after since 1 Jan). Allocated: C01, C03 (from 31 May), C04, C06, C15, C18. C16's episode
    # and allocation both ended 31 May: neither open nor counted.
    assert value(published_fixture, "unallocated_cases", "month", "May 2024") == (3, None, 3)
    # Team: C17's open CIN plan records T2; C05 and C20 have no team on record
    may = ("snapshot_date", "2024-05-31", "2024-05-31")
    assert team_units(published_fixture, "unallocated_cases", *may, "T2") == (1, None)
    assert team_units(published_fixture, "unallocated_cases", *may, "-1") == (2, None)
    # 30 Apr: C02 (CP plan, never allocated) and C20 = 2
    assert value(published_fixture, "unallocated_cases", "month", "Apr 2024") == (2, None, 2)


# --- exception list as at 30 June 2024 -------------------------------------------------------


def test_exceptions_as_at_data_date(published_fixture):
    rows = published_fixture.query(
        """SELECT child_key, item, rule, last_done_date::VARCHAR, due_date::VARCHAR, status,
                  working_days_overdue, team_id, worker_key IS NULL
           FROM kpi_exceptions_child_protection WHERE as_at_date = DATE '2024-06-30'"""
    )
    found = {(r[0], r[1]): r[2:] for r in rows}
    # C05: CP plan from 15 May, never seen: the 10th working day after 15 May is 30 May;
    # 30 May -> 30 Jun = 31 May + 20 June working days = 21 working days overdue
    assert found[(child("C05"), "cp_visit")] == (
        "CP plan: seen every 10 working days",
        None,
        "2024-05-30",
        "overdue",
        21,
        "-1",
        True,
    )
    # C07: seen 21 Jun (Fri); due 10 working days later = Fri 5 Jul; 1-5 Jul = 5 working days
    # ahead of the data date: due soon
    assert found[(child("C07"), "cp_visit")] == (
        "CP plan: seen every 10 working days",
        "2024-06-21",
        "2024-07-05",
        "due_soon",
        -5,
        "-1",
        True,
    )
    # C01: CP plan from 10 Jan, no review: due 10 Apr; 11 Apr - 30 Jun = 14 + 21 + 20 = 55
    assert found[(child("C01"), "cp_review")] == (
        "CP plan: first review conference within 3 months of plan start",
        None,
        "2024-04-10",
        "overdue",
        55,
        "T1",
        False,
    )
    # C17: CIN plan from 31 May, never visited: due on the 20th working day after, Fri 28 Jun;
    # on Sunday 30 Jun that is exactly 20 working days: not overdue, due (0 working days left)
    assert found[(child("C17"), "cin_visit")] == (
        "CIN plan: seen every 20 working days",
        None,
        "2024-06-28",
        "due_soon",
        0,
        "-1",
        True,
    )
    # C01 is on a CP plan: no CIN visit item; C15's CIN review of 5 Jun is next due 5 Sep
    assert (child("C01"), "cin_visit") not in found
    assert (child("C15"), "cin_review") not in found


def test_exception_due_dates_are_the_measures_on_the_data_date(published_fixture):
    # 30 Jun 2024 is both the data date and a published month end, so the exception list and the
    # measures' detail rows judge the same day from the same clocks (int_cp_visit_clock, ...).
    # By hand: C05 (plan 15 May, never seen) is due 30 May in both and not met in the measure:
    # wd(15 May, 30 Jun) = 11 + 20 = 31 > 10; C07 (seen Fri 21 Jun) is due Fri 5 Jul in both and
    # met: wd(21 Jun, 30 Jun) = 5 (24-28 Jun).
    listed = dict(
        published_fixture.query(
            """SELECT child_key, due_date::VARCHAR FROM kpi_exceptions_child_protection
           WHERE as_at_date = DATE '2024-06-30' AND item = 'cp_visit'"""
        )
    )
    measured = {
        r[0]: r[1:]
        for r in published_fixture.query(
            """SELECT child_key, due_date::VARCHAR, working_days, is_met FROM kpi_cp_visits_10wd_detail
           WHERE snapshot_date = DATE '2024-06-30'"""
        )
    }
    assert listed[child("C05")] == measured[child("C05")][0] == "2024-05-30"
    assert measured[child("C05")][1:] == (31, False)
    assert listed[child("C07")] == measured[child("C07")][0] == "2024-07-05"
    assert measured[child("C07")][1:] == (5, True)
    # the blocking dbt test compared every listed child's visit and core group due dates with the
    # measures' on this date: its stored failures are empty
    assert published_fixture.query_warehouse(
        "SELECT count(*) FROM audit.assert_exception_due_dates_are_the_measures"
    ) == [(0,)]


# --- status on any date (docs/queries) -------------------------------------------------------
QUERIES = Path(__file__).resolve().parents[3] / "docs" / "queries"


def worker(professional_id: str) -> str:
    return pseudonym(KEY, f"professional|{LA}|{professional_id}")


def test_children_open_on_a_mid_month_date(published_fixture):
    # Wed 15 May 2024 (not a month end). CP plans open (start <= d < end): P01 (C01), P02 (C02,
    # ends 31 May), P05 (C05, starts that day), P06 (C06); P04 starts 16 May, P03 31 May.
    # Allocated that day: C01 to W1/T1 (I01 from 10 Jan), C06 to W2/T2 (I06 from 1 Feb); C02 and
    # C05 have no allocation.
    rows = published_fixture.query_warehouse(
        (QUERIES / "children_open_on.sql").read_text(), {"as_at": date(2024, 5, 15)}
    )
    cp_open = {r[2]: (r[9], r[10]) for r in rows if r[4]}
    assert cp_open == {
        child("C01"): (worker("W1"), "T1"),
        child("C02"): (None, "-1"),
        child("C05"): (None, "-1"),
        child("C06"): (worker("W2"), "T2"),
    }


def test_worker_caseloads_on_a_mid_month_date(published_fixture):
    # 15 May 2024: W1 holds I01 (C01), I16 (C16, until 31 May) and I18 (C18, from 15 Jan) = 3;
    # I04 (16 May) and I08 (10 Jun) have not started. W2 holds I06 (C06) and I15 (C15) = 2;
    # I03 starts 31 May.
    rows = published_fixture.query_warehouse(
        (QUERIES / "worker_caseloads_on.sql").read_text(), {"as_at": date(2024, 5, 15)}
    )
    assert {r[2]: r[3] for r in rows} == {worker("W1"): 3, worker("W2"): 2}


# --- the managers' overdue lists (identified, restricted folder) -----------------------------
# As at 30 Jun, team T1 (W1, "Worker One" in ssd_professionals) holds C01 (I01), C04 (I04), C08
# (I08) and C18 (I18); C16's allocation ended 31 May. Their items, worked out by hand:
#   C01: CIN review (N01 from 1 Dec 2023, none held) due 1 Mar; CP review due 10 Apr; core group
#        (G01 30 Apr) due 30 May; CP visit (seen 17 May) due 3 Jun: 4-28 Jun = 19 working days
#   C04: CP visit and first core group due the 10th working day after 16 May = 31 May
#   C08: CP visit and first core group due the 10th working day after 10 Jun = 24 Jun: 4 overdue
#   C18: CIN visit (seen 30 Apr) due the 20th working day after = 30 May
T1_ITEMS = sorted(
    [
        ("C01", date(2024, 3, 1)),
        ("C01", date(2024, 4, 10)),
        ("C01", date(2024, 5, 30)),
        ("C01", date(2024, 6, 3)),
        ("C04", date(2024, 5, 31)),
        ("C04", date(2024, 5, 31)),
        ("C08", date(2024, 6, 24)),
        ("C08", date(2024, 6, 24)),
        ("C18", date(2024, 5, 30)),
    ]
)


@pytest.fixture(scope="module")
def lists_dir(published_fixture, tmp_path_factory):
    """`cscw lists` on the module's published run (no further pipeline run)."""
    import os

    from orchestration.cli import main

    restricted = tmp_path_factory.mktemp("restricted")
    os.environ["CSCW_RESTRICTED_DIR"] = str(restricted)
    try:
        code = main(
            [
                "lists",
                "--la",
                LA,
                "--warehouse",
                str(published_fixture.warehouse),
                "--publish",
                str(published_fixture.snapshot.parent.parent),
            ]
        )
    finally:
        os.environ.pop("CSCW_RESTRICTED_DIR")
    assert code == 0
    return restricted / "lists" / LA / "2024-06-30"


def read_list(path):
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    header, *rows = [r for r in sheet.iter_rows(values_only=True)]
    return book, sheet, [dict(zip(header, r)) for r in rows]


def published_items(published, team_id=None, service_area_id=None):
    """(child_key, due date, working days overdue) of the published exception rows of a unit."""
    return published.query(
        """SELECT child_key, due_date, working_days_overdue FROM (
               SELECT * FROM kpi_exceptions_child_protection UNION ALL BY NAME
               SELECT * FROM kpi_exceptions_looked_after)
           WHERE la_code = ? AND (team_id = ? OR service_area_id = ?)""",
        (LA, team_id, service_area_id),
    )


def test_team_list_equals_the_published_exception_rows_with_identities_restored(
    published_fixture, lists_dir
):
    _, sheet, rows = read_list(lists_dir / "team_T1.xlsx")
    published = published_items(published_fixture, team_id="T1")
    case_ids = {child(c): c for c in ("C01", "C04", "C08", "C18")}  # pseudonyms from the source ids
    # same count, same due dates and working days overdue, child by child
    assert len(rows) == len(published) == len(T1_ITEMS)
    assert sorted(
        (r["Case-management id"], r["Due date"].date(), r["Working days overdue"]) for r in rows
    ) == sorted((case_ids[key], due, overdue) for key, due, overdue in published)
    assert sorted((r["Case-management id"], r["Due date"].date()) for r in rows) == T1_ITEMS
    assert {r["Allocated worker"] for r in rows} == {"Worker One"}
    assert {r["Team"] for r in rows} == {"CP team one"}
    # most urgent first
    assert [r["Working days overdue"] for r in rows] == sorted(
        (r["Working days overdue"] for r in rows), reverse=True
    )
    c01_visit = next(
        r for r in rows if r["Case-management id"] == "C01" and r["Item"] == "CP visit"
    )
    assert (
        c01_visit["Status"],
        c01_visit["Last done"].date(),
        c01_visit["Working days overdue"],
    ) == ("overdue", date(2024, 5, 17), 19)
    # the workbook reads well: frozen header, a styled table over every row, dates as Excel dates
    assert sheet.freeze_panes == "A2"
    assert [(name, ref) for name, ref in sheet.tables.items()] == [
        ("OverdueList", f"A1:I{len(rows) + 1}")
    ]
    assert sheet.cell(2, 3).is_date and sheet.column_dimensions["E"].width > 20


def test_service_area_and_unallocated_lists(published_fixture, lists_dir):
    assert sorted(p.name for p in lists_dir.iterdir()) == [
        "service_area_SA1.xlsx",
        "service_area_unknown.xlsx",
        "team_T1.xlsx",
        "team_T2.xlsx",
        "team_unknown.xlsx",
    ]
    _, _, rows = read_list(lists_dir / "service_area_SA1.xlsx")
    assert len(rows) == len(published_items(published_fixture, service_area_id="SA1"))
    assert {r["Team"] for r in rows} == {"CP team one", "CP team two"}
    # C05 (CP plan from 15 May, never allocated, never seen): identified, no worker
    _, _, rows = read_list(lists_dir / "team_unknown.xlsx")
    c05 = [r for r in rows if r["Case-management id"] == "C05" and r["Item"] == "CP visit"]
    assert [
        (r["Allocated worker"], r["Due date"].date(), r["Working days overdue"]) for r in c05
    ] == [("unallocated", date(2024, 5, 30), 21)]
    book, _, _ = read_list(lists_dir / "team_T1.xlsx")
    assert "IDENTIFIED AND RESTRICTED" in book["About"]["B1"].value


def test_one_team_and_an_unknown_team(published_fixture, tmp_path, monkeypatch, capsys):
    from orchestration.cli import main

    monkeypatch.setenv("CSCW_RESTRICTED_DIR", str(tmp_path))
    args = [
        "--warehouse",
        str(published_fixture.warehouse),
        "--publish",
        str(published_fixture.snapshot.parent.parent),
    ]
    assert main(["lists", "--la", LA, "--team", "T2", *args]) == 0
    out = capsys.readouterr().out
    assert "IDENTIFIED AND RESTRICTED" in out and str(tmp_path) in out
    folder = tmp_path / "lists" / LA / "2024-06-30"
    assert [p.name for p in folder.iterdir()] == ["team_T2.xlsx"]
    assert main(["lists", "--la", LA, "--team", "T9", *args]) == 2
    assert main(["lists", "--la", "999", *args]) == 2
