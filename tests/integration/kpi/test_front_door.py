"""Front door measures on the hand-made landing tests/fixtures/kpi/front_door (authority 901,
one extract dated 2024-06-30).

Every expected number below is worked out by hand from the fixture files, not read back from
the code. Published periods are the complete ones up to 2024-06-30: months to Jun 2024, the
quarter 2024-25 Q1 (Apr-Jun 2024) and the year 2023-24; 2024-25 is not complete.
Working days wd(a, b) count d with a < d <= b, Mon-Fri, not an England and Wales bank holiday;
the bank holidays that matter here are Mon 6 May 2024 and Mon 27 May 2024.

Departments: service area SA1 with teams T1 and T2. Child C10 is allocated to T2 from
2024-01-01 (ssd_involvements V1); nobody else is allocated.
Population (ext_population; popu_year = the calendar year in which the financial year starts):
2023 -> 2023-24: 48,000; 2024 -> 2024-25: 50,000.
"""

import pytest

from tests.integration.kpi.conftest import KPI_FIXTURES

LANDING = KPI_FIXTURES / "front_door"
LA = "901"
pytestmark = pytest.mark.slow


def value_of(row):
    return row[:3]


def approx_row(numerator, denominator, value):
    return (numerator, denominator, None if value is None else pytest.approx(value, rel=1e-9))


# ---------------------------------------------------------------------------------------------
# contacts_decided_24h (MASH, met if decided - received <= 24 h; rule 9 for undecided contacts)
#
#  contact received          decided            hours   team  verdict
#  K07  2024-04-30 23:30     2024-05-01 10:00   10.5    T1    met (April: placed by receipt)
#  K01  2024-05-02 09:00     2024-05-03 09:00   24.0    T1    met (exactly 24 h)
#  K02  2024-05-02 09:00     2024-05-03 09:01   24h01   T1    not met (24 h + 1 min)
#  K03  2024-05-10 10:00     2024-05-10 15:00    5      T2    met; no team recorded -> C10's
#                                                               allocated team T2 on 10 May
#  K04  2024-05-15 08:00     undecided                  T1    overdue 16 May 08:00, before the
#                                                               end of May -> May, not met
#  K05  2024-05-31 10:00     undecided                  T1    14 h old at the end of May ->
#                                                               left out of May; overdue by the
#                                                               end of June -> in Q1, not met
#  K09  2024-05-31 00:00     undecided                  T1    exactly 24 h old at the end of
#                                                               May (not older) -> out of May;
#                                                               in Q1, not met
#  K08  2024-05-31 20:00     2024-06-03 09:00   61      T1    not met (May)
#  K10  2024-06-10 09:00     2024-06-10 11:00    2      T1    met
#  K11  2024-06-12 09:00     2024-06-12 17:00    8      T1    met
#  K06  2024-06-30 12:00     undecided                  T1    12 h old at the end of June ->
#                                                               out of June and of Q1
#
#  Apr 2024: K07 = 1/1.  May 2024: K01, K02, K03, K04, K08 = 2/5 = 40%
#  (T1: K01, K02, K04, K08 = 1/4; T2: K03 = 1/1).  Jun 2024: K10, K11 = 2/2.
#  2024-25 Q1: K07, K01, K02, K03, K04, K05, K09, K08, K10, K11 = 5/10 = 50%.
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "period_type, label, breakdown, breakdown_id, expected",
    [
        ("month", "Apr 2024", "la", LA, (1, 1, 100.0)),
        ("month", "May 2024", "la", LA, (2, 5, 40.0)),
        ("month", "May 2024", "service_area", "SA1", (2, 5, 40.0)),
        ("month", "Jun 2024", "la", LA, (2, 2, 100.0)),
        ("quarter", "2024-25 Q1", "la", LA, (5, 10, 50.0)),
    ],
)
def test_contacts_decided_24h(
    published_fixture, period_type, label, breakdown, breakdown_id, expected
):
    row = published_fixture.scorecard(
        "contacts_decided_24h", period_type, label, breakdown, breakdown_id
    )
    assert value_of(row) == approx_row(*expected)


def test_contacts_team_attribution_and_small_team_suppression(published_fixture):
    # May 2024 by team, from the detail rows: T1 = K01, K02, K04, K08 (1 met of 4); T2 = K03
    # (no team recorded; C10's allocated team on 10 May), 1 of 1.
    rows = published_fixture.query(
        """SELECT team_id, count(*), sum(numerator) FROM kpi_contacts_decided_24h_detail
           WHERE reference_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-31'
             AND counted_from_date <= DATE '2024-05-31' GROUP BY team_id ORDER BY team_id"""
    )
    assert rows == [("T1", 4, 1), ("T2", 1, 1)]
    # Published team rows with a denominator under 5 are suppressed (docs/privacy.md).
    suppressed = published_fixture.query(
        """SELECT breakdown_id, numerator, value, suppressed FROM kpi_scorecard
           WHERE kpi_id = 'contacts_decided_24h' AND period_label = 'May 2024' AND breakdown = 'team'
             AND breakdown_id IN ('T1', 'T2') ORDER BY 1"""
    )
    assert suppressed == [("T1", None, None, True), ("T2", None, None, True)]


def test_contacts_undecided_rows_say_when_they_count(published_fixture):
    # K09 (31 May 00:00) and K05 (31 May 10:00) count from 1 June; K04 from 16 May; K06 from
    # 1 July (in no published period).
    rows = published_fixture.query(
        """SELECT received_datetime::varchar, counted_from_date::varchar, is_met
           FROM kpi_contacts_decided_24h_detail WHERE decision_datetime IS NULL ORDER BY 1"""
    )
    assert rows == [
        ("2024-05-15 08:00:00", "2024-05-16", False),
        ("2024-05-31 00:00:00", "2024-06-01", False),
        ("2024-05-31 10:00:00", "2024-06-01", False),
        ("2024-06-30 12:00:00", "2024-07-01", False),
    ]


# ---------------------------------------------------------------------------------------------
# early_help_hub_decided_72h (EHH, 72 h)
#  E01 received 2024-05-06 09:00, decided 2024-05-09 09:00: exactly 72 h -> met
#  E02 received 2024-05-06 09:00, decided 2024-05-09 09:01: 72 h + 1 min -> not met
#  E04 received 2024-05-20 12:00, undecided: overdue 23 May 12:00 -> May, not met
#  E03 received 2024-05-29 12:00, undecided: 60 h old at the end of May -> out of May;
#      overdue 1 June 12:00 -> in Q1, not met
#  May 2024: E01, E02, E04 = 1/3.  2024-25 Q1: E01-E04 = 1/4 = 25%.  All recorded in T2.
# ---------------------------------------------------------------------------------------------
def test_early_help_hub_decided_72h(published_fixture):
    ehh = "early_help_hub_decided_72h"
    assert value_of(published_fixture.scorecard(ehh, "month", "May 2024", "la", LA)) == approx_row(
        1, 3, 100 / 3
    )
    assert value_of(
        published_fixture.scorecard(ehh, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(1, 4, 25.0)


# ---------------------------------------------------------------------------------------------
# contact_conversion_rate: MASH contacts by the date of their decision (rule 9)
#  decided May: K07 (1 May, REFERRAL, received in April), K01 (REFERRAL), K02 (NFA), K03 (ADVICE)
#               -> 2/4 = 50%. E01 (EHH, REFERRAL) is not a MASH contact: not counted.
#  decided June: K08 (3 Jun, REFERRAL, received in May), K10 (EARLY_HELP), K11 (NFA) -> 1/3.
#  April: nothing decided -> 0/0, value NULL.  Q1: 3/7.
# ---------------------------------------------------------------------------------------------
def test_contact_conversion_rate_by_decision_date(published_fixture):
    kpi = "contact_conversion_rate"
    assert value_of(published_fixture.scorecard(kpi, "month", "Apr 2024", "la", LA)) == (0, 0, None)
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        2, 4, 50.0
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "Jun 2024", "la", LA)) == approx_row(
        1, 3, 100 / 3
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(3, 7, 300 / 7)
    # range 18-22 with a 5-point tolerance: 50% is Red
    assert published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)[4] == "Red"


# ---------------------------------------------------------------------------------------------
# re_referrals_12m: an earlier referral of the child 1 to 365 days before (rule 10)
#  C01: R01 2023-05-01, R02 2024-04-30: 365 days (29 Feb 2024 between) -> R02 re-referral
#  C02: R03 2023-05-01, R04 2024-05-01: 366 days -> not
#  C03: R05 and R06 both 2024-05-10: same day -> neither; R09 2024-06-05: 26 days after -> yes
#       (R09 has no team recorded and C03 no allocation -> team '-1')
#  C04: R08 2024-05-15, R07 2024-05-20: 5 days -> R07 yes
#  2023-24: R01, R03 = 0/2.  Apr 2024: R02 = 1/1.  May 2024: R04, R05, R06, R08, R07 = 1/5.
#  Jun 2024: R09 = 1/1.  2024-25 Q1: 3/7.
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "period_type, label, breakdown, breakdown_id, expected",
    [
        ("year", "2023-24", "la", LA, (0, 2, 0.0)),
        ("month", "Apr 2024", "la", LA, (1, 1, 100.0)),
        ("month", "May 2024", "la", LA, (1, 5, 20.0)),
        ("month", "Jun 2024", "la", LA, (1, 1, 100.0)),
        ("quarter", "2024-25 Q1", "la", LA, (3, 7, 300 / 7)),
    ],
)
def test_re_referrals_12m(published_fixture, period_type, label, breakdown, breakdown_id, expected):
    row = published_fixture.scorecard(
        "re_referrals_12m", period_type, label, breakdown, breakdown_id
    )
    assert value_of(row) == approx_row(*expected)


# ---------------------------------------------------------------------------------------------
# referrals_rate_10k: count x 10,000 / population x 12 / months in period
#  May 2024: 5 referrals (two on one day both count, rule 6), 2024-25 population 50,000:
#            5 x 10,000 / 50,000 x 12 / 1 = 12.0
#  2024-25 Q1: 7 -> 7 x 10,000 / 50,000 x 12 / 3 = 5.6
#  2023-24: 2 -> 2 x 10,000 / 48,000 x 12 / 12 = 0.41667 (popu_year 2023)
#  Teams have no population: value NULL.
# ---------------------------------------------------------------------------------------------
def test_re_referral_without_team_goes_to_unknown_team(published_fixture):
    rows = published_fixture.query(
        """SELECT team_id, service_area_id, interval_days, is_met FROM kpi_re_referrals_12m_detail
           WHERE reference_date = DATE '2024-06-05'"""
    )
    assert rows == [("-1", "-1", 26, True)]


def test_referrals_rate_10k_annualised(published_fixture):
    kpi = "referrals_rate_10k"
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        5, 50000, 12.0
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(7, 50000, 5.6)
    assert value_of(published_fixture.scorecard(kpi, "year", "2023-24", "la", LA)) == approx_row(
        2, 48000, 20000 / 48000
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "team", "T2")) == (
        5,
        None,
        None,
    )


# ---------------------------------------------------------------------------------------------
# assessments_rate_10k: authorised in period (A03 is not authorised: not counted)
#  Apr 2024: A04 (25 Apr) -> 1 x 10,000 / 50,000 x 12 = 2.4
#  May 2024: A01 (20 May), A05 (28 May) -> 2 -> 4.8
#  2024-25 Q1: A04, A01, A05, A02 (3 Jun) -> 4 x 10,000 / 50,000 x 12 / 3 = 3.2
# ---------------------------------------------------------------------------------------------
def test_assessments_rate_10k_annualised(published_fixture):
    kpi = "assessments_rate_10k"
    assert value_of(published_fixture.scorecard(kpi, "month", "Apr 2024", "la", LA)) == approx_row(
        1, 50000, 2.4
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        2, 50000, 4.8
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(4, 50000, 3.2)


# ---------------------------------------------------------------------------------------------
# strategy_discussions_timely: wd(concern, discussion) <= 1, by discussion date
#  D01 Fri 3 May -> Tue 7 May: Sat, Sun, Mon 6 May (bank holiday) not counted, Tue = 1 -> met
#  D02 Fri 3 May -> Wed 8 May: 2 -> not met
#  D03 10 May -> 10 May: same day = 0 -> met
#  D04 concern 20 May, no discussion date: in no period (rule 11)
#  D05 Fri 31 May -> Mon 3 Jun: 1 -> met, June
#  May 2024: 2/3.  Jun 2024: 1/1.  2024-25 Q1: 3/4 = 75%.
# ---------------------------------------------------------------------------------------------
def test_strategy_discussions_timely(published_fixture):
    kpi = "strategy_discussions_timely"
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        2, 3, 200 / 3
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "Jun 2024", "la", LA)) == approx_row(
        1, 1, 100.0
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(3, 4, 75.0)
    undated = published_fixture.query(
        "SELECT count(*) FROM kpi_strategy_discussions_timely_detail WHERE discussion_date IS NULL"
    )
    assert undated == [(0,)]


# ---------------------------------------------------------------------------------------------
# s47_completed_15wd and s47_nfa_rate, by end date
#  S01 Wed 1 May -> Thu 23 May: May 2, 3, (6 bank holiday), 7, 8, 9, 10, 13, 14, 15, 16, 17,
#      20, 21, 22, 23 = 15 -> met; NFA Y
#  S02 Wed 1 May -> Fri 24 May: 16 -> not met; NFA blank (= not NFA, rule 7)
#  S03 Mon 20 May -> Tue 11 Jun: May 21, 22, 23, 24, (27 bank holiday), 28, 29, 30, 31,
#      Jun 3, 4, 5, 6, 7, 10, 11 = 15 -> met; NFA N
#  S04 open: not counted.  S05 3 Jun -> 4 Jun: 1 -> met; NFA Y
#  15 wd:  May 1/2, Jun 2/2, Q1 3/4.    NFA: May 1/2, Jun 1/2, Q1 2/4.
# ---------------------------------------------------------------------------------------------
def test_s47_completed_15wd(published_fixture):
    kpi = "s47_completed_15wd"
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        1, 2, 50.0
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "Jun 2024", "la", LA)) == approx_row(
        2, 2, 100.0
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(3, 4, 75.0)
    # the completing team recorded on each enquiry (T2), from the detail rows
    assert published_fixture.query(
        "SELECT DISTINCT team_id, service_area_id FROM kpi_s47_completed_15wd_detail"
    ) == [("T2", "SA1")]


def test_s47_nfa_rate(published_fixture):
    kpi = "s47_nfa_rate"
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        1, 2, 50.0
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "Jun 2024", "la", LA)) == approx_row(
        1, 2, 50.0
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(2, 4, 50.0)


# ---------------------------------------------------------------------------------------------
# icpc_15wd: wd(S47 start of the linked enquiry, ICPC date) <= 15, by ICPC date
#  I01 -> S01 (start 1 May), ICPC 23 May: 15 -> met
#  I02 -> S02 (start 1 May), ICPC 24 May: 16 -> not met
#  I03 transfer-in: excluded.  I04 no enquiry recorded: does not resolve, excluded (rule 12).
#  I06 names enquiry S99, which does not exist: quarantined at load, in no measure.
#  I05 -> S03 (start 20 May), ICPC Wed 12 Jun: 16 (11 Jun was 15) -> not met
#  May 2024: 1/2.  Jun 2024: 0/1.  2024-25 Q1: 1/3.
# ---------------------------------------------------------------------------------------------
def test_icpc_15wd(published_fixture):
    kpi = "icpc_15wd"
    assert value_of(published_fixture.scorecard(kpi, "month", "May 2024", "la", LA)) == approx_row(
        1, 2, 50.0
    )
    assert value_of(published_fixture.scorecard(kpi, "month", "Jun 2024", "la", LA)) == approx_row(
        0, 1, 0.0
    )
    assert value_of(
        published_fixture.scorecard(kpi, "quarter", "2024-25 Q1", "la", LA)
    ) == approx_row(1, 3, 100 / 3)
    rows = published_fixture.query(
        "SELECT icpc_date::varchar, working_days, is_met FROM kpi_icpc_15wd_detail ORDER BY 1"
    )
    assert rows == [("2024-05-23", 15, True), ("2024-05-24", 16, False), ("2024-06-12", 16, False)]


def test_details_reproduce_the_scorecard(published_fixture):
    """Every front-door scorecard row at authority level equals the sum over its detail rows."""
    flows = [
        "re_referrals_12m",
        "contact_conversion_rate",
        "strategy_discussions_timely",
        "s47_completed_15wd",
        "s47_nfa_rate",
        "icpc_15wd",
        "assessments_45wd",
    ]
    for kpi in flows:
        mismatches = published_fixture.query(
            f"""WITH sums AS (
                    SELECT p.period_type, p.period_start, sum(d.numerator) AS n, sum(d.denominator) AS d
                    FROM kpi_{kpi}_detail d JOIN dim_period p
                      ON p.la_code = d.la_code AND d.reference_date BETWEEN p.period_start AND p.period_end
                    GROUP BY ALL)
                SELECT s.period_label FROM kpi_scorecard s LEFT JOIN sums USING (period_type, period_start)
                WHERE s.kpi_id = '{kpi}' AND s.breakdown = 'la'
                  AND (s.numerator <> coalesce(sums.n, 0) OR s.denominator <> coalesce(sums.d, 0))"""
        )
        assert mismatches == [], kpi
    for kpi in ["contacts_decided_24h", "early_help_hub_decided_72h"]:
        mismatches = published_fixture.query(
            f"""WITH sums AS (
                    SELECT p.period_type, p.period_start, sum(d.numerator) AS n, sum(d.denominator) AS d
                    FROM kpi_{kpi}_detail d JOIN dim_period p
                      ON p.la_code = d.la_code AND d.reference_date BETWEEN p.period_start AND p.period_end
                     AND d.counted_from_date <= p.period_end
                    GROUP BY ALL)
                SELECT s.period_label FROM kpi_scorecard s LEFT JOIN sums USING (period_type, period_start)
                WHERE s.kpi_id = '{kpi}' AND s.breakdown = 'la'
                  AND (s.numerator <> coalesce(sums.n, 0) OR s.denominator <> coalesce(sums.d, 0))"""
        )
        assert mismatches == [], kpi
