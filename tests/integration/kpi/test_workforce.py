"""Exploitation, courts, workforce and practice quality, early help: measures on a hand-made
landing (tests/fixtures/kpi/workforce/904/2024-06-30), expected numbers worked out by hand.

Calendar notes (England and Wales bank holidays): Mon 6 May 2024 (early May) and Mon 27 May
2024 (spring). wd(a, b) counts working days d with a < d <= b. The data date is 2024-06-30, so
May 2024, June 2024, 2024-25 Q1 (Apr-Jun) and 2023-24 are complete periods.

Staff (ext_staff; team T1 or T2, both in service area SA1):
  S1  W1  T1 social worker, permanent, case-holding, 1.0 FTE, from 2020-01-01
  S2  W2  T1 social worker, AGENCY, case-holding, FTE missing (= 1.0), from 2024-05-02 (mid-May)
  S3  W3  T2 NQSW, permanent, case-holding, 0.5 FTE, 2023-09-01 to 2024-05-31 (last day = May's last day)
  S4  W4  T2 business support (not operational), 1.0, from 2022-01-01
  S5  W5  T2 social worker, fixed term, case-holding, 0.8, 2023-01-01 to 2024-05-30
  S6  W6  T1 team manager, permanent, 1.0, from 2019
  S7  W7  T1 family support worker (not a social-work role), 1.0, from 2019
  S8  W8  T2 social worker, permanent, case-holding, 1.0, from 2024-05-01 (the 1st)
  S9  W9  T2 NQSW, permanent, NOT case-holding, 1.0, from 2024-01-01
  S10 W10 T1 social worker, permanent, 2020-01-01 to 2023-05-31
  S11 W11 T1 social worker, agency, 2023-06-01 to 2024-02-15
  S12 W12 T1 social worker, permanent, 2021-01-01 to 2024-03-31, then S13 W12 T2 from 2024-04-01 (a move)
Allocations (all from 2024-01-01, open): W1 C01-C21, W8 C22-C41, W3 C42-C53, W9 C54-C66; W2 also
holds C01 from 2024-05-10.
"""

import pytest

from tests.integration.kpi.conftest import KPI_FIXTURES

LANDING = KPI_FIXTURES / "workforce"
LA = "904"


def value_of(published, kpi_id, period_type, label, breakdown="la", breakdown_id=None):
    return published.scorecard(kpi_id, period_type, label, breakdown, breakdown_id)


def team_sums(published, table, kpi_id, date_column, day, team_id):
    """(numerator, denominator) of a team from the detail rows: the published scorecard
    suppresses team rows with fewer than 5 people behind them (orchestration/lib/suppression.py),
    the detail tables are published whole."""
    return published.query(
        f"""SELECT sum(numerator), sum(denominator) FROM {table}
            WHERE kpi_id = ? AND {date_column} BETWEEN date_trunc('month', DATE '{day}') AND DATE '{day}'
              AND team_id = ?""", (kpi_id, team_id))[0]


def check(row, numerator, denominator, value):
    got_numerator, got_denominator, got_value = row[0], row[1], row[2]
    assert got_numerator == pytest.approx(numerator)
    if denominator is None:
        assert got_denominator is None
    else:
        assert got_denominator == pytest.approx(denominator)
    if value is None:
        assert got_value is None
    else:
        assert got_value == pytest.approx(value)


# ---------------------------------------------------------------------------------- supervision

def test_supervision_monthly_whole_month_staff(published_fixture):
    # May 2024, staff in post for the whole month: S1, S3 (last day 31 May: included), S4, S6,
    # S7, S8 (started on the 1st), S9, S13 = 8. Excluded: S2 (joined 2 May), S5 (left 30 May).
    # PERSONAL supervisions in May: W1 10 May, W4 31 May, W8 1 May -> met 3. W3 had only a CASE
    # supervision, W7 only GROUP, W6's is dated 30 April. 3 / 8 = 37.5%; target 90 -> Red.
    row = value_of(published_fixture, "supervision_monthly", "month", "May 2024")
    check(row, 3, 8, 37.5)
    assert row[3] == 90 and row[4] == "Red"
    # by team: T1 = S1, S6, S7 (met S1) = 1/3; T2 = S3, S4, S8, S9, S13 (met S4, S8) = 2/5
    assert team_sums(published_fixture, "kpi_supervision_monthly_detail", "supervision_monthly",
                     "snapshot_date", "2024-05-31", "T1") == (1, 3)
    check(value_of(published_fixture, "supervision_monthly", "month", "May 2024", "team", "T2"), 2, 5, 40.0)


def test_supervision_split_operational_business_support(published_fixture):
    # May 2024: operational = the 7 whole-month staff other than S4, met S1 and S8 -> 2/7;
    # business support = S4 (supervised 31 May) -> 1/1.
    check(value_of(published_fixture, "supervision_monthly_operational", "month", "May 2024"), 2, 7, 200 / 7)
    check(value_of(published_fixture, "supervision_monthly_business_support", "month", "May 2024"), 1, 1, 100.0)


def test_supervision_quarter_counts_staff_months(published_fixture):
    # April: whole-month S1, S3, S4, S5, S6, S7, S9, S13 = 8; met W1 (5 Apr), W6 (30 Apr) = 2.
    # May: 8, met 3 (above). June: S1, S2, S4, S6, S7, S8, S9, S13 = 8; met W2 (3 Jun), W8 (28 Jun) = 2.
    # 2024-25 Q1 = staff-months: 7 / 24 = 29.17%.
    check(value_of(published_fixture, "supervision_monthly", "month", "Apr 2024"), 2, 8, 25.0)
    check(value_of(published_fixture, "supervision_monthly", "month", "Jun 2024"), 2, 8, 25.0)
    check(value_of(published_fixture, "supervision_monthly", "quarter", "2024-25 Q1"), 7, 24, 700 / 24)


def test_case_supervision_monthly(published_fixture):
    # Open at 31 May: C01 (CIN), C03 (CP plan), C04 (looked after); C02's CIN episode closed on
    # 31 May, so it is not open then. CASE supervisions in May: C01 (15 May) -> met; C02's (20 May)
    # does not count (not open); C03's is dated 30 April. May = 1/3.
    # April: C01, C02, C03, C04 open, C03 supervised 30 April -> 1/4. June: 0/3.
    # 2024-25 Q1 = child-months: 2 / 10 = 20%.
    check(value_of(published_fixture, "case_supervision_monthly", "month", "May 2024"), 1, 3, 100 / 3)
    check(value_of(published_fixture, "case_supervision_monthly", "month", "Apr 2024"), 1, 4, 25.0)
    check(value_of(published_fixture, "case_supervision_monthly", "quarter", "2024-25 Q1"), 2, 10, 20.0)


# ------------------------------------------------------------------------------------ caseloads

def test_caseload_average(published_fixture):
    # 31 May 2024, case-holding staff in post: W1 (1.0), W2 (FTE missing = 1.0), W3 (0.5, last
    # day 31 May = in post), W8 (1.0); W5 left 30 May. Distinct children: W1 C01-C21, W2 C01
    # (C01 counted once, for W2: the latest-starting allocation), W8 C22-C41, W3 C42-C53 = 53.
    # 53 / 3.5 FTE = 15.142857; target range 15-18 -> Green.
    row = value_of(published_fixture, "caseload_average", "month", "May 2024")
    check(row, 53, 3.5, 53 / 3.5)
    assert row[4] == "Green"
    # T1: W1 20 + W2 1 over 2.0 FTE = 10.5; T2: W8 20 + W3 12 over 1.5 FTE = 21.33
    assert team_sums(published_fixture, "kpi_caseload_average_detail", "caseload_average",
                     "snapshot_date", "2024-05-31", "T1") == (21, 2.0)
    assert team_sums(published_fixture, "kpi_caseload_average_detail", "caseload_average",
                     "snapshot_date", "2024-05-31", "T2") == (32, 1.5)


def test_caseload_over_20(published_fixture):
    # 31 May: W1 holds 21 (over), W8 exactly 20 (not over), W2 1, W3 12 -> 1/4 = 25%.
    check(value_of(published_fixture, "caseload_over_20", "month", "May 2024"), 1, 4, 25.0)
    rows = dict(published_fixture.query(
        """SELECT open_children, is_over_limit FROM kpi_caseload_by_worker
           WHERE snapshot_date = DATE '2024-05-31' AND open_children IN (20, 21)"""))
    assert rows == {20: False, 21: True}


def test_nqsw_caseload_protected(published_fixture):
    # NQSWs in post at 31 May: W3 with exactly 12 (= protected level: within) and W9 (not
    # case-holding, still counted) with 13 (over) -> 1/2 = 50%.
    check(value_of(published_fixture, "nqsw_caseload_protected", "month", "May 2024"), 1, 2, 50.0)


def test_caseload_by_worker_table(published_fixture):
    rows = published_fixture.query(
        """SELECT role, team_id, fte, open_children, is_over_limit, is_nqsw, protected_limit
           FROM kpi_caseload_by_worker WHERE snapshot_date = DATE '2024-05-31' ORDER BY open_children""")
    assert rows == [
        ("SOCIAL_WORKER", "T1", 1.0, 1, False, False, None),   # W2, FTE defaulted to 1.0
        ("NQSW", "T2", 0.5, 12, False, True, 12),             # W3
        ("NQSW", "T2", 1.0, 13, False, True, 12),             # W9
        ("SOCIAL_WORKER", "T2", 1.0, 20, False, False, None),  # W8
        ("SOCIAL_WORKER", "T1", 1.0, 21, True, False, None),   # W1
    ]


# ------------------------------------------------------------------------------------ workforce

def test_agency_rate(published_fixture):
    # Social-work rows in post at 31 May: S1 1.0, S2 1.0 (agency), S3 0.5, S6 1.0, S8 1.0,
    # S9 1.0, S13 1.0 (S4 business support and S7 family support worker excluded) ->
    # 1.0 / 6.5 = 15.38%.
    check(value_of(published_fixture, "agency_rate", "month", "May 2024"), 1.0, 6.5, 100 / 6.5)


def test_vacancy_rate(published_fixture):
    # Vacancies for May 2024: T1 1.5 + T2 0.5 = 2.0 (April's 2.0 is not counted). Employed
    # social workers in post at 31 May: 6.5 - 1.0 agency = 5.5. 2.0 / 7.5 = 26.67%.
    check(value_of(published_fixture, "vacancy_rate", "month", "May 2024"), 2.0, 7.5, 200 / 7.5)
    # T1: 1.5 vacant, employed S1 + S6 = 2.0 -> 1.5 / 3.5
    assert team_sums(published_fixture, "kpi_vacancy_rate_detail", "vacancy_rate",
                     "snapshot_date", "2024-05-31", "T1") == (1.5, 3.5)


def test_turnover_rate(published_fixture):
    # 12 months to 31 May 2024 = last days from 1 June 2023 to 31 May 2024. Leavers (employed
    # social workers): S3 0.5 (31 May 2024), S5 0.8 (30 May 2024). Not leavers: S10 (31 May 2023,
    # outside), S11 (agency), S12 (moved to S13 the next day). 1.3 / 5.5 employed FTE = 23.64%.
    check(value_of(published_fixture, "turnover_rate", "month", "May 2024"), 1.3, 5.5, 130 / 5.5)


# --------------------------------------------------------------------------------------- audits

def test_audit_grades(published_fixture):
    # Audits in May 2024 (RE_AUDIT A5 excluded, A2 with no type included): A1 GOOD, A2
    # OUTSTANDING, A3 INADEQUATE, A4 REQUIRES_IMPROVEMENT (no team recorded: the child's team T2).
    # Good or better 2/4 = 50% against 70 (in force since 2021-01-01): Red. Inadequate 1/4.
    row = value_of(published_fixture, "audit_grade_good_or_better", "month", "May 2024")
    check(row, 2, 4, 50.0)
    assert row[3] == 70 and row[4] == "Red"
    check(value_of(published_fixture, "audit_grade_inadequate", "month", "May 2024"), 1, 4, 25.0)
    assert team_sums(published_fixture, "kpi_audit_grade_good_or_better_detail", "audit_grade_good_or_better",
                     "reference_date", "2024-05-31", "T2") == (0, 2)


def test_audit_target_rises_each_quarter(published_fixture):
    # One GOOD audit in each quarter of 2020-21: 100% each; target in force on the quarter's
    # last day: 50 (Q1), 55 (from 1 Jul 2020), 60 (from 1 Oct 2020), 70 (from 1 Jan 2021).
    for label, target in (("2020-21 Q1", 50), ("2020-21 Q2", 55), ("2020-21 Q3", 60), ("2020-21 Q4", 70)):
        row = value_of(published_fixture, "audit_grade_good_or_better", "quarter", label)
        check(row, 1, 1, 100.0)
        assert row[3] == target, label
    assert value_of(published_fixture, "audit_grade_good_or_better", "year", "2020-21")[3] == 70


def test_audit_grade_distribution(published_fixture):
    rows = published_fixture.query(
        """SELECT grade, audits, all_audits FROM kpi_audit_grade_distribution
           WHERE period_type = 'month' AND period_label = 'May 2024' AND breakdown = 'la'
           ORDER BY grade_order""")
    assert rows == [("OUTSTANDING", 1, 4), ("GOOD", 1, 4), ("REQUIRES_IMPROVEMENT", 1, 4), ("INADEQUATE", 1, 4)]


def test_audit_actions_overdue(published_fixture):
    # 31 May: A1 due 31 May (on period end) not completed -> overdue; A4 due 25 May completed
    # 5 June (after) -> overdue; A2 completed 31 May -> not; A3 due 15 June; A5 is a re-audit.
    # 30 June: A1 only. 30 April: none.
    check(value_of(published_fixture, "audit_actions_overdue", "month", "May 2024"), 2, None, 2)
    check(value_of(published_fixture, "audit_actions_overdue", "month", "Jun 2024"), 1, None, 1)
    check(value_of(published_fixture, "audit_actions_overdue", "month", "Apr 2024"), 0, None, 0)
    check(value_of(published_fixture, "audit_actions_overdue", "quarter", "2024-25 Q1"), 1, None, 1)


def test_team_diagnostic_grades(published_fixture):
    # Latest visits: T1 2024-02-01 (OVERALL REQUIRES_IMPROVEMENT, PRACTICE_QUALITY GOOD; the
    # 2023 visit is ignored), T2 2024-03-01 (OVERALL REQUIRES_IMPROVEMENT, PRACTICE_QUALITY
    # INADEQUATE). Service area SA1: OVERALL 2 x RI, modal RI; PRACTICE_QUALITY 1 GOOD, 1
    # INADEQUATE, tie -> the lower grade INADEQUATE.
    rows = published_fixture.query(
        """SELECT quality_domain, grade, teams, modal_grade FROM kpi_team_diagnostic_grades
           WHERE breakdown = 'service_area' AND breakdown_id = 'SA1' AND teams > 0
           ORDER BY quality_domain, grade_order""")
    assert rows == [
        ("OVERALL", "REQUIRES_IMPROVEMENT", 2, "REQUIRES_IMPROVEMENT"),
        ("PRACTICE_QUALITY", "GOOD", 1, "INADEQUATE"),
        ("PRACTICE_QUALITY", "INADEQUATE", 1, "INADEQUATE"),
    ]


# --------------------------------------------------------------------------------------- courts

def test_pre_proceedings(published_fixture):
    # Concluded in May 2024: PP1 21 Feb -> 15 May = 84 days (2024 is a leap year): met 12w and
    # 16w; PP2 20 Feb -> 15 May = 85 days: not met 12w, met 16w; PP3 no decision date: not met;
    # PP4 1 Jan -> 2 May = 122 days: not met. PP5 not concluded: left out.
    check(value_of(published_fixture, "pre_proceedings_12w", "month", "May 2024"), 1, 4, 25.0)
    check(value_of(published_fixture, "pre_proceedings_16w", "month", "May 2024"), 2, 4, 50.0)


def test_care_proceedings(published_fixture):
    # Concluded in May 2024: CR1 15 Nov 2023 -> 15 May 2024 = 182 days (met), CR2 14 Nov -> 15
    # May = 183 days (not met), CR3 1 Mar -> 24 May = 84 days (met). 2/3.
    check(value_of(published_fixture, "care_proceedings_26w", "month", "May 2024"), 2, 3, 200 / 3)
    # mean weeks = (182 + 183 + 84) / 7 / 3 = 449 / 21 = 21.38
    check(value_of(published_fixture, "care_proceedings_mean_weeks", "month", "May 2024"), 449 / 7, 3, 449 / 21)


# ---------------------------------------------------------------------------------- exploitation

def test_exploitation_risk_assessments(published_fixture):
    # Started in May 2024: X01 1 -> 8 May = 4 wd (6 May holiday): met; X02 20 -> 28 May = 5 wd
    # (27 May holiday): met; X03 20 -> 29 May = 6: not met; X04 never completed: not met; X05
    # same day = 0: met; X06 28 -> 30 May = 2: met. 4/6.
    check(value_of(published_fixture, "exploitation_ra_5wd", "month", "May 2024"), 4, 6, 400 / 6)


def test_safety_plans(published_fixture):
    # Meetings in May: X11 3 -> 10 May = 4 wd: met; X14 10 -> 17 May = 5: met; X15 2 -> 13 May
    # = 6 (6 May holiday): not met. 2/3. April: X13 never distributed: 0/1.
    check(value_of(published_fixture, "safety_plans_5wd", "month", "May 2024"), 2, 3, 200 / 3)
    check(value_of(published_fixture, "safety_plans_5wd", "month", "Apr 2024"), 0, 1, 0.0)


def test_risk_management_meetings(published_fixture):
    # 31 May, latest level SIGNIFICANT: C14 (meeting 3 May, 28 days: met), C17 (meeting 25 Apr,
    # 36 days), C19 (meeting 2 May, 29 days), C20 (no meeting yet) -> 1/4. C18's assessment
    # (SIGNIFICANT) and meeting (MODERATE) are on the same day: the meeting wins, MODERATE.
    check(value_of(published_fixture, "rmm_significant_4w", "month", "May 2024"), 1, 4, 25.0)
    # MODERATE: C15 (meeting 8 Mar, 84 days: met), C16 (no meeting), C18 (10 May, 21 days) -> 2/3
    check(value_of(published_fixture, "rmm_moderate_12w", "month", "May 2024"), 2, 3, 200 / 3)
    reasons = dict(published_fixture.query(
        "SELECT days_since_meeting, is_met FROM kpi_rmm_significant_4w_detail WHERE snapshot_date = DATE '2024-05-31'"
        " AND days_since_meeting IS NOT NULL"))
    assert reasons == {28: True, 36: False, 29: False}


# ------------------------------------------------------------------------------------ early help

def test_early_help_open(published_fixture):
    # 31 May: E1 (from 1 May), E3 (starts 31 May: open), E4 (to 15 June) = 3; E2 ends 31 May: not
    # open. 30 April: E2, E4 = 2. 30 June: E1, E3 = 2.
    check(value_of(published_fixture, "early_help_open", "month", "May 2024"), 3, None, 3)
    check(value_of(published_fixture, "early_help_open", "month", "Apr 2024"), 2, None, 2)
    check(value_of(published_fixture, "early_help_open", "month", "Jun 2024"), 2, None, 2)


# ------------------------------------------------------------------------------ reproducibility

DETAILS = {
    "exploitation_ra_5wd": ("kpi_exploitation_ra_5wd_detail", "reference_date"),
    "safety_plans_5wd": ("kpi_safety_plans_5wd_detail", "reference_date"),
    "pre_proceedings_12w": ("kpi_pre_proceedings_12w_detail", "reference_date"),
    "care_proceedings_mean_weeks": ("kpi_care_proceedings_mean_weeks_detail", "reference_date"),
    "audit_grade_good_or_better": ("kpi_audit_grade_good_or_better_detail", "reference_date"),
    "supervision_monthly": ("kpi_supervision_monthly_detail", "snapshot_date"),
    "turnover_rate": ("kpi_turnover_rate_detail", "snapshot_date"),
    "caseload_average": ("kpi_caseload_average_detail", "snapshot_date"),
}


@pytest.mark.parametrize("kpi_id", sorted(DETAILS))
def test_scorecard_reproducible_from_detail(published_fixture, kpi_id):
    # May 2024 at authority level: the scorecard's numerator and denominator are the sums of the
    # detail rows dated in May.
    table, date_column = DETAILS[kpi_id]
    numerator, denominator = published_fixture.query(
        f"""SELECT sum(numerator), sum(denominator) FROM {table}
            WHERE kpi_id = ? AND {date_column} BETWEEN DATE '2024-05-01' AND DATE '2024-05-31'""",
        (kpi_id,))[0]
    row = value_of(published_fixture, kpi_id, "month", "May 2024")
    assert row[0] == pytest.approx(numerator) and row[1] == pytest.approx(denominator)
