"""Looked-after children measures on a hand-made landing (authority 903, data date 2024-06-30).

Bank holidays that matter below: 2022-09-19 (state funeral); 2023-05-08 (coronation),
2023-05-29, 2023-08-28, 2023-12-25/26; 2024-01-01, 2024-03-29 (Good Friday), 2024-04-01 (Easter
Monday), 2024-05-06, 2024-05-27. wd(a, b) counts working days d with a < d <= b.

The children (fixture tests/fixtures/kpi/looked_after/903/2024-06-30):
  C01 period of care CLA01 = two episodes 2024-03-04..2024-04-15 (X1) and 2024-04-15..open
      (counted as one start, in March). Placements P01 (to 04-15) and P02 (U3 from 04-15).
      Seen 2024-06-14. Reviews: R00 2024-03-25 cancelled; R01 2024-04-03 = first, PN0, aged 13.
      Allocated T1 2024-03-04..04-15, then T2.
  C02 CLA02 = 2023-11-01..2024-01-10 (X1) + 2024-01-10..2024-05-20 (E13): one start (Nov 2023),
      one ceasing (May 2024). Allocated T2 2023-11-01..2024-05-20 (closes on the ceased date).
  C03 (born 2022) CLA03 from 2024-05-14, U1; first review 2024-06-13 (21 wd), PN0, aged 2.
  C04 CLA04 from 2024-06-23 (placement 7 days before 30 Jun, not yet visited).
  C05 CLA05 from 2023-05-01, four episodes/placements: P07 2023-05-01..2023-07-01,
      P08 2023-07-01..2024-01-15, P09 2024-01-15..2024-06-22, P10 from 2024-06-22 (8 days before
      30 Jun). Seen 2024-06-10, before P10 started. Still missing since 2024-06-28 22:00.
  C06 CLA06 from 2023-07-15, U1 (first year to 2024-07-15): seen 2024-05-10.
  C07 CLA07 from 2023-06-30, U4 (first year to 2024-06-30, exclusive): seen 2024-04-20.
  C08 CLA08 from 2022-01-10, U3: seen 2024-05-10 (and not seen 2024-06-20). Allocated T2.
  C09 CLA09 from 2022-09-01, U2: seen 2024-06-25. Allocated T1. Reviews 2022-09-28,
      2022-12-28, 2023-06-29, 2023-12-20, (2024-06-05 cancelled), 2024-06-18.
  C10 (born 2019-11-30) CLA10 from 2023-11-06: reviews 2023-11-30 (PN1, aged exactly 4),
      2024-03-01 (blank). Seen 2024-06-03.
  C11-C15 care leavers.
"""

import datetime as dt

import pytest

from tests.integration.kpi.conftest import KPI_FIXTURES

LANDING = KPI_FIXTURES / "looked_after"

pytestmark = pytest.mark.slow


def test_cla_open_and_rate(published_fixture):
    # 30 Jun 2024: C01, C03, C04, C05, C06, C07, C08, C09, C10 (C02 ceased 20 May) = 9
    assert published_fixture.scorecard("cla_open", "month", "Jun 2024")[:3] == (9, None, 9)
    # 31 May 2024: C04 not yet in care, C02 ceased on 20 May = 8
    assert published_fixture.scorecard("cla_open", "month", "May 2024")[:3] == (8, None, 8)
    # 2023-24 ends 31 Mar 2024: C01, C02, C05, C06, C07, C08, C09, C10 = 8
    assert published_fixture.scorecard("cla_open", "year", "2023-24")[2] == 8
    # rate: 9 x 10,000 / 20,000 (popu_year 2024 = financial year 2024-25), not annualised
    num, den, value, *_ = published_fixture.scorecard("cla_rate_10k", "month", "Jun 2024")
    assert (num, den) == (9, 20000) and value == pytest.approx(4.5)


def test_starts_and_ceased_count_periods_of_care_once(published_fixture):
    sc = published_fixture.scorecard
    # C01's two episodes start one period of care, in March; its second episode (April) is no start
    assert sc("cla_starts", "month", "Mar 2024")[2] == 1
    assert sc("cla_starts", "month", "Apr 2024")[2] == 0
    # Q1 2024-25: C03 (14 May) and C04 (23 Jun)
    assert sc("cla_starts", "quarter", "2024-25 Q1")[2] == 2
    # 2023-24: C05 (1 May), C07 (30 Jun), C06 (15 Jul), C02 (1 Nov), C10 (6 Nov), C01 (4 Mar) = 6
    assert sc("cla_starts", "year", "2023-24")[2] == 6
    # C02's first episode ceased (X1) on 10 Jan inside the period of care: no ceasing then
    assert sc("cla_ceased", "month", "Jan 2024")[2] == 0
    assert sc("cla_ceased", "month", "May 2024")[2] == 1
    # team (from the detail rows: the published scorecard suppresses small team counts):
    # C01's start (4 Mar) goes to T1, allocated that day; C02's ceasing to T2, the team on its
    # last day looked after (19 May), although the allocation closed on 20 May
    q = published_fixture.query
    assert q(
        "SELECT team_id FROM kpi_cla_starts_detail WHERE reference_date = DATE '2024-03-04'"
    ) == [("T1",)]
    assert q("SELECT team_id, service_area_id FROM kpi_cla_ceased_detail") == [("T2", "SA1")]


def test_visits_timely(published_fixture):
    # At 30 Jun 2024 (days = 30 Jun - latest seen visit since the current placement started):
    #   C01 16 days (first year, 42) met;  C03 2 met;  C04 no visit, placement 7 days ago: met;
    #   C05 no visit since P10 (the 10 Jun visit was before it), 8 days: not met;
    #   C06 U1 still in its first year (to 15 Jul): 51 days > 42, not met (91 would allow it);
    #   C07 U4 first year ended 30 Jun (exclusive): 71 days <= 91 met;
    #   C08 U3 after the first year: 51 days > 42 not met (the unseen visit of 20 Jun ignored);
    #   C09 5 met;  C10 27 met.  -> 6 / 9
    num, den, value, target, *_ = published_fixture.scorecard(
        "cla_visits_timely", "month", "Jun 2024"
    )
    assert (num, den) == (6, 9)
    assert value == pytest.approx(100 * 6 / 9)
    assert target == 95
    rows = set(
        published_fixture.query(
            """SELECT visit_rule, days_allowed::int, days_since, is_met FROM kpi_cla_visits_timely_detail
           WHERE snapshot_date = DATE '2024-06-30'"""
        )
    )
    assert ("no visit yet since the placement started", 7, 7, True) in rows  # C04
    assert ("no visit yet since the placement started", 7, 8, False) in rows  # C05
    assert ("placement in its first year", 42, 51, False) in rows  # C06, long-term fostering
    assert ("long-term fostering after the first year", 91, 71, True) in rows  # C07
    assert ("placement after its first year, not long-term fostering", 42, 51, False) in rows  # C08
    # team T2 (detail rows; small team counts are suppressed in the scorecard): C01 met, C08 not
    assert published_fixture.query(
        """SELECT sum(numerator), sum(denominator) FROM kpi_cla_visits_timely_detail
           WHERE snapshot_date = DATE '2024-06-30' AND team_id = 'T2'"""
    ) == [(1, 2)]


def test_first_reviews_20_working_days(published_fixture):
    sc = published_fixture.scorecard
    # C01: the cancelled review of 25 Mar is not a review; R01 (3 Apr) is the first.
    # wd(4 Mar, 3 Apr) = Mar 5-8 (4), 11-15 (9), 18-22 (14), 25-28 (18; 29 Mar Good Friday),
    # Apr 1 Easter Monday, Apr 2 (19), Apr 3 (20) -> exactly 20: met.
    assert sc("cla_reviews_first_20wd", "month", "Apr 2024")[:2] == (1, 1)
    assert sc("cla_reviews_first_20wd", "month", "Mar 2024")[:3] == (0, 0, None)
    # C03: wd(14 May, 13 Jun) = May 15-17 (3), 20-24 (8), 27 BH, 28-31 (12), Jun 3-7 (17),
    # 10-13 (21) -> 21: not met
    assert sc("cla_reviews_first_20wd", "month", "Jun 2024")[:2] == (0, 1)
    assert sc("cla_reviews_first_20wd", "quarter", "2024-25 Q1")[:3] == (1, 2, 50)
    # R01 is attributed to T1 (allocated on 3 Apr); R03 (C03, never allocated) to -1
    assert sorted(
        published_fixture.query(
            "SELECT team_id, is_met FROM kpi_cla_reviews_first_20wd_detail WHERE review_date >= DATE '2024-04-01'"
        )
    ) == [("-1", False), ("T1", True)]


def test_subsequent_reviews_schedule(published_fixture):
    sc = published_fixture.scorecard
    # C09: 28 Sep 2022 (first: wd = 18 with 19 Sep 2022 a holiday), 28 Dec 2022 (due 28 Dec,
    # 3 months: met), 29 Jun 2023 (due 28 Jun, 6 months: late), 20 Dec 2023 (due 29 Dec: met;
    # 3 months would have been 29 Sep), [5 Jun 2024 cancelled, not numbered], 18 Jun 2024
    # (due 20 Jun 2024: met). C10: 30 Nov 2023 first, 1 Mar 2024 second: due 30 Nov + 3
    # months = 29 Feb 2024 (clipped): 1 day late.
    # 2023-24: 29 Jun 2023 no, 20 Dec 2023 yes, 1 Mar 2024 no -> 1 / 3
    assert sc("cla_reviews_subsequent_timely", "year", "2023-24")[:2] == (1, 3)
    assert sc("cla_reviews_subsequent_timely", "month", "Jun 2024")[:2] == (1, 1)
    # 2022-23: 28 Dec 2022 only (28 Sep 2022 was the first review) -> 1 / 1
    assert sc("cla_reviews_subsequent_timely", "year", "2022-23")[:2] == (1, 1)
    # all reviews: 2023-24 adds C10's first (wd(6 Nov, 30 Nov) = 18: met) -> 2 / 4
    assert sc("cla_reviews_timely", "year", "2023-24")[:3] == (2, 4, 50)
    # Q1 2024-25: R01 met, R03 not met, C09's 18 Jun met -> 2 / 3
    assert sc("cla_reviews_timely", "quarter", "2024-25 Q1")[:2] == (2, 3)
    due = dict(
        published_fixture.query(
            "SELECT review_date, due_date FROM kpi_cla_reviews_subsequent_timely_detail"
        )
    )
    assert due[dt.date(2024, 3, 1)] == dt.date(2024, 2, 29)
    assert due[dt.date(2024, 6, 18)] == dt.date(2024, 6, 20)
    numbers = published_fixture.query(
        "SELECT review_number FROM kpi_cla_reviews_subsequent_timely_detail WHERE review_date = DATE '2024-06-18'"
    )
    assert numbers == [(5,)]


def test_review_participation(published_fixture):
    sc = published_fixture.scorecard
    # Q1 2024-25: R01 (C01 aged 13, PN0: in, not met), R03 (C03 aged 2: left out),
    # C09 18 Jun PN3 met -> 1 / 2
    assert sc("cla_review_participation", "quarter", "2024-25 Q1")[:2] == (1, 2)
    # 2023-24: C09 29 Jun PN7 no, C09 20 Dec PN2 yes, C10 30 Nov (4th birthday) PN1 yes,
    # C10 1 Mar blank no -> 2 / 4
    assert sc("cla_review_participation", "year", "2023-24")[:2] == (2, 4)


def test_review_administration(published_fixture):
    sc = published_fixture.scorecard
    # Q1 2024-25 reviews: R01 (3 Apr), R03 (13 Jun), C09 18 Jun (no admin row: nothing met).
    # R01: consulted; minutes 1 May = wd 20 (Apr 4-5, 8-12, 15-19, 22-26, 29-30, May 1): met;
    #      recommendations 10 Apr = 5 wd met; response 18 Apr = 6 wd after 10 Apr: not met.
    # R03: not consulted; no minutes; recommendations 20 Jun = 5 wd (14, 17, 18, 19, 20) met;
    #      no response.
    assert sc("cla_review_iro_consultation", "quarter", "2024-25 Q1")[:2] == (1, 3)
    assert sc("cla_review_minutes_20wd", "quarter", "2024-25 Q1")[:2] == (1, 3)
    assert sc("cla_review_recs_5wd", "quarter", "2024-25 Q1")[:2] == (2, 3)
    assert sc("cla_review_recs_response_5wd", "quarter", "2024-25 Q1")[:3] == (0, 3, 0)


def test_iro_oversight_and_disputes(published_fixture):
    sc = published_fixture.scorecard
    # 30 Jun 2024: in care since on or before 30 Jun 2023: C05 (none: no), C07 (from exactly
    # 30 Jun 2023; 1 Sep 2023 + 1 Mar 2024: met), C08 (2 Jul 2023 + 1 May 2024: met), C09
    # (1 Jul 2023 is 365 days before, outside (1 Jul 2023, 30 Jun 2024]; 10 Feb 2024: 1, no).
    # C06 (from 15 Jul 2023) is not yet 12 months in care.
    assert sc("iro_oversight_2in12m", "month", "Jun 2024")[:3] == (2, 4, 50)
    # disputes Q1 2024-25: C07 2 Apr -> 1 May = 21 wd (no); C09 1 May -> 29 May = 18 wd
    # (6 and 27 May holidays; met); C08 3 Jun unresolved (no) -> 1 / 3
    assert sc("iro_disputes_20wd", "quarter", "2024-25 Q1")[:2] == (1, 3)
    assert sc("iro_disputes_20wd", "month", "May 2024")[:2] == (1, 1)


def test_placement_stability(published_fixture):
    sc = published_fixture.scorecard
    # 30 Jun 2024, window end > 1 Jul 2023: C05 has P08, P09, P10 (P07 ended on 1 Jul 2023,
    # not after it) = 3 -> counted; C01 has 2; everyone else 1 -> 1 / 9
    assert sc("placement_stability_3plus", "month", "Jun 2024")[:2] == (1, 9)
    counts = published_fixture.query(
        "SELECT placements_in_lookback, is_met FROM kpi_placement_stability_3plus_detail "
        "WHERE snapshot_date = DATE '2024-06-30' AND placements_in_lookback > 1 ORDER BY 1"
    )
    assert counts == [(2, False), (3, True)]


def test_missing_return_interviews_72_hours(published_fixture):
    sc = published_fixture.scorecard
    # June: M1 offered 71 h 59 min after the end (met), M2 72 h 01 min (not met), M3 exactly
    # 72 h (met), M5 ended 29 Jun 23:00 with no interview (not met); M4 still missing: no period
    assert sc("missing_rhi_72h", "month", "Jun 2024")[:3] == (2, 4, 50)
    # May: M6 NOT_OFFERED -> 0 / 1
    assert sc("missing_rhi_72h", "month", "May 2024")[:2] == (0, 1)
    # team (detail rows; small team counts are suppressed in the scorecard): C09 (T1) 2 / 2,
    # C08 (T2) 0 / 2
    by_team = published_fixture.query(
        "SELECT team_id, sum(numerator), sum(denominator) FROM kpi_missing_rhi_72h_detail "
        "WHERE reference_date >= DATE '2024-06-01' GROUP BY ALL ORDER BY 1"
    )
    assert by_team == [("T1", 2, 2), ("T2", 0, 2)]
    assert published_fixture.query(
        "SELECT count(*) FROM kpi_missing_rhi_72h_detail WHERE missing_end_datetime IS NULL"
    ) == [(0,)]


def test_care_leavers(published_fixture):
    sc = published_fixture.scorecard
    # 30 Jun 2024, aged 17-21: C11 (17 today), C14 (20), C15 (19); C12 is 16, C13 turned 22.
    # in touch: C11 YES, C14 NO, C15 REFU -> 1/3; suitable: C11 (no flag, D1) yes, C14
    # UNSUITABLE (flag wins over B1) no, C15 Y yes -> 2/3; EET: F2 yes, G5 no, P4 yes -> 2/3
    assert sc("care_leavers_in_touch", "month", "Jun 2024")[:2] == (1, 3)
    assert sc("care_leavers_suitable_accommodation", "month", "Jun 2024")[:2] == (2, 3)
    assert sc("care_leavers_eet", "month", "Jun 2024")[:2] == (2, 3)
    # 31 May 2024: C13 (21, YES, no flag + B2, F1), C14, C15; C11 still 16
    assert sc("care_leavers_in_touch", "month", "May 2024")[:2] == (1, 3)
    assert sc("care_leavers_suitable_accommodation", "month", "May 2024")[:2] == (1, 3)
    assert sc("care_leavers_eet", "month", "May 2024")[:2] == (2, 3)


def test_life_story_backlog(published_fixture):
    sc = published_fixture.scorecard
    # 30 Jun: LS1 (required 30 Jun) + LS4 (required 1 Dec 2023); LS2 completed on 30 Jun: not
    # outstanding. 31 May: LS2 + LS4. 29 Feb: LS4 only.
    assert sc("life_story_backlog", "month", "Jun 2024")[:3] == (2, None, 2)
    assert sc("life_story_backlog", "month", "May 2024")[2] == 2
    assert sc("life_story_backlog", "month", "Feb 2024")[2] == 1


def test_exception_list(published_fixture):
    rows = published_fixture.query(
        """SELECT item, status, rule, last_done_date, due_date, working_days_overdue, team_id
           FROM kpi_exceptions_looked_after WHERE as_at_date = DATE '2024-06-30'"""
    )
    by = {}
    for item, status, rule, last, due, wd_over, team in rows:
        by.setdefault((item, status), []).append((rule, last, due, wd_over, team))
    # visits: C04 due 30 Jun (placement 23 Jun + 7): due soon, 0 working days;
    # C05 due 29 Jun (22 Jun + 7): overdue, wd(29 Jun, 30 Jun) = 0 (a weekend);
    # C06 first year, 10 May + 42 = 21 Jun: overdue 5 (24-28 Jun); C08 (T2) the same dates
    assert sorted(by[("cla_visit", "due_soon")]) == [
        (
            "no visit yet since the placement started: first visit within 7 days",
            None,
            dt.date(2024, 6, 30),
            0,
            "-1",
        )
    ]
    assert sorted(by[("cla_visit", "overdue")]) == sorted(
        [
            (
                "no visit yet since the placement started: first visit within 7 days",
                None,
                dt.date(2024, 6, 29),
                0,
                "-1",
            ),
            (
                "placement in its first year: visit every 42 days",
                dt.date(2024, 5, 10),
                dt.date(2024, 6, 21),
                5,
                "-1",
            ),
            (
                "placement after its first year, not long-term fostering: visit every 42 days",
                dt.date(2024, 5, 10),
                dt.date(2024, 6, 21),
                5,
                "T2",
            ),
        ]
    )
    # reviews: C01 second review due 3 Apr + 3 months = 3 Jul: due soon, 3 working days left
    assert by[("cla_review", "due_soon")] == [
        (
            "second review within 3 months of the first",
            dt.date(2024, 4, 3),
            dt.date(2024, 7, 3),
            -3,
            "T2",
        )
    ]
    overdue_reviews = {due: wd_over for _, _, due, wd_over, _ in by[("cla_review", "overdue")]}
    # C05: in care 1 May 2023, 20th working day = 31 May 2023 (8 and 29 May holidays);
    # working days 1 Jun 2023 - 30 Jun 2024 = 22+21+22+21+22+22+19+22+21+20+21+21+20 = 274
    assert overdue_reviews[dt.date(2023, 5, 31)] == 274
    # C07: in care 30 Jun 2023 -> 28 Jul 2023; 31 Jul (1) + Aug (22) + Sep-Jun (209) = 232
    assert overdue_reviews[dt.date(2023, 7, 28)] == 232
    # C06: in care Sat 15 Jul 2023 -> 11 Aug 2023; 13 in Aug (28 Aug holiday) + 209 = 222
    assert overdue_reviews[dt.date(2023, 8, 11)] == 222
    assert len(overdue_reviews) == 4  # + C08, in care since 2022 and never reviewed
    # return interviews: M6 (ended 20 May 09:00, NOT_OFFERED): due 23 May, overdue
    # wd(23 May, 30 Jun) = 24 May (1) + 28-31 May (4) + June (20) = 25; M5 (ended 29 Jun 23:00):
    # due 2 Jul, 2 working days left
    assert by[("return_interview", "overdue")] == [
        (
            "return interview offered within 72 hours of the end of a missing episode",
            dt.date(2024, 5, 20),
            dt.date(2024, 5, 23),
            25,
            "-1",
        )
    ]
    assert by[("return_interview", "due_soon")] == [
        (
            "return interview offered within 72 hours of the end of a missing episode",
            dt.date(2024, 6, 29),
            dt.date(2024, 7, 2),
            -2,
            "T2",
        )
    ]


def test_exception_visit_due_dates_are_the_measures_on_the_data_date(published_fixture):
    # 30 Jun 2024 is the data date and a month end: the list and cla_visits_timely read one clock
    # (int_cla_visit_clock). By hand (test_visits_timely, test_exception_list): C06 (U1, first
    # year to 15 Jul) seen 10 May: due 10 May + 42 = 21 Jun, overdue, and not met in the measure
    # (51 days > 42); C04 (placement 23 Jun, not visited): due 30 Jun, due soon, and met (7 <= 7).
    rows = published_fixture.query(
        """SELECT e.due_date, e.status, d.days_since, d.days_allowed::int, d.is_met
           FROM kpi_exceptions_looked_after AS e
           JOIN kpi_cla_visits_timely_detail AS d
             ON d.child_key = e.child_key AND d.snapshot_date = e.as_at_date
           WHERE e.item = 'cla_visit' AND e.as_at_date = DATE '2024-06-30'"""
    )
    assert (dt.date(2024, 6, 21), "overdue", 51, 42, False) in rows  # C06
    assert (dt.date(2024, 6, 30), "due_soon", 7, 7, True) in rows  # C04
    # the blocking dbt test compared every listed child with the measure on this date
    assert published_fixture.query_warehouse(
        "SELECT count(*) FROM audit.assert_exception_visit_due_dates_are_the_measures"
    ) == [(0,)]


def test_details_reproduce_the_scorecard(published_fixture):
    # every looked-after scorecard row = sum over its detail rows (authority level, months)
    mismatches = published_fixture.query(
        """WITH details AS (
               SELECT kpi_id, snapshot_date AS d, numerator, denominator FROM kpi_cla_visits_timely_detail
               UNION ALL SELECT kpi_id, reference_date, numerator, denominator FROM kpi_missing_rhi_72h_detail
               UNION ALL SELECT kpi_id, reference_date, numerator, denominator FROM kpi_cla_reviews_timely_detail
           ),
           summed AS (
               SELECT kpi_id, date_trunc('month', d) AS period_start, sum(numerator) AS n, sum(denominator) AS m
               FROM details GROUP BY ALL
           )
           SELECT s.kpi_id, s.period_start FROM summed s
           JOIN kpi_scorecard k ON k.kpi_id = s.kpi_id AND k.period_type = 'month'
            AND k.period_start = s.period_start AND k.breakdown = 'la'
           WHERE k.numerator <> s.n OR k.denominator <> s.m"""
    )
    assert mismatches == []


# --- the managers' overdue lists: looked-after items and return interviews --------------------


def test_team_list_with_return_interviews_through_the_dagster_asset(
    published_fixture, tmp_path, monkeypatch
):
    """The Dagster asset writes the lists when CSCW_MANAGER_LISTS is on (nothing when off); team
    T2's list equals its published exception rows, children and worker identified. T2 on 30 Jun:
    C08 (I2, W2 "Worker Two", since 2022) and C01 (I4, W2, from 15 Apr)."""
    import dagster as dg
    from dagster_duckdb import DuckDBResource
    from openpyxl import load_workbook

    from orchestration.defs.restricted_outputs.manager_lists_asset import manager_lists
    from orchestration.lib.pseudonymise import pseudonym

    monkeypatch.setenv("CSCW_PUBLISH_DIR", str(published_fixture.snapshot.parent.parent))
    monkeypatch.setenv("CSCW_RESTRICTED_DIR", str(tmp_path))
    resources = {"duckdb": DuckDBResource(database=str(published_fixture.warehouse))}
    monkeypatch.setenv("CSCW_MANAGER_LISTS", "off")
    assert (
        dg.materialize([manager_lists], resources=resources).get_asset_materialization_events()
        == []
    )
    assert not (tmp_path / "lists").exists()
    monkeypatch.setenv("CSCW_MANAGER_LISTS", "on")
    assert dg.materialize([manager_lists], resources=resources).success

    sheet = load_workbook(tmp_path / "lists" / "903" / "2024-06-30" / "team_T2.xlsx").worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    rows = [dict(zip(header, r)) for r in rows]
    case_ids = {pseudonym("test-key", f"person|903|{c}"): c for c in ("C01", "C08")}
    published = published_fixture.query(
        "SELECT child_key, due_date, working_days_overdue FROM kpi_exceptions_looked_after WHERE team_id = 'T2'"
    )
    assert len(rows) == len(published)
    assert sorted(
        (r["Case-management id"], r["Due date"].date(), r["Working days overdue"]) for r in rows
    ) == sorted((case_ids[key], due, overdue) for key, due, overdue in published)
    assert {r["Allocated worker"] for r in rows} == {"Worker Two"}
    # by hand (test_exception_list): C08's visit overdue since 21 Jun (5 working days); C01's
    # second review due 3 Jul (3 working days left); C08's return interview after M5 (ended 29 Jun
    # 23:00) due 2 Jul (2 left), last done = the episode's end
    by_item = {
        (r["Case-management id"], r["Item"]): (r["Due date"].date(), r["Working days overdue"])
        for r in rows
    }
    assert by_item[("C08", "Looked-after visit")] == (dt.date(2024, 6, 21), 5)
    assert by_item[("C01", "Looked-after review")] == (dt.date(2024, 7, 3), -3)
    assert by_item[("C08", "Return interview")] == (dt.date(2024, 7, 2), -2)
    assert rows[-1]["Status"] == "due soon" and rows[0]["Status"] == "overdue"
