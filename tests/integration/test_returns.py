"""Statutory returns through the real pipeline (tests/fixtures/returns), `cscw run` end to end.

941 returns only: 903 CSVs (header, episodes, reviews, missing, oc3) and a hand-written CIN
    census 2023-24 (Sex 1/2/9 codes, so the code map up to 2024 applies).
942 the SSD (ssd_person, ssd_cin_episodes, ssd_cp_plans) and a CIN census for overlapping dates.
943 (made in the test) the SSD only: real_shapes/933's files.
944 the 903 of two return years in one drop (SSDA903_2023_*, SSDA903_2024_*): both current.
945 a workforce census (CSWW 2023, census date 30 September 2023) only; data date 31 Oct 2023.
Data date 2024-06-30 for all. wd(a, b) counts the working days d with a < d <= b.

941, SSDA903 (child pseudonyms: C1..C4)
  C1: E1 1 Feb 2024 (S) -> 1 Apr X1; E2 1 Apr (P) -> 15 May X1; E3 15 May (L) open.
      Each starts on the previous DEC after X1 and is not RNE S: one period of care
      903:C1:2024-02-01, open. Legal statuses: C2 1 Feb -> 15 May, E1 15 May -> open (2).
      Placements: U6 (SC000001) 1 Feb -> 1 Apr, change reason CARPL (E1's); U4 (SC000002)
      1 Apr -> open (E2 and E3: same PLACE, URN, provider)  -> 2.
  C2: 10 Jan 2023 -> 10 Mar 2023 E11; 5 Jun 2023 (S) -> 20 Feb 2024 E13: two periods.
  C4: 1 Mar 2024 -> 1 May 2024 E8; 1 May 2024 (S) open: starts on the previous DEC, but the
      previous REC is not X1 (and RNE S): two periods, 903:C4:2024-03-01 and 903:C4:2024-05-01.
  cla_open 30 Jun 2024: C1, C4  -> 2.  cla_starts May 2024: C4's second  -> 1; cla_ceased May
      2024: C4's first (1 May)  -> 1.  cla_starts Feb 2024: C1  -> 1; cla_ceased Feb 2024: C2's
      second (20 Feb)  -> 1.
  Reviews of C1 (period 903:C1:2024-02-01): 20 Feb 2024 first, wd(1 Feb, 20 Feb) = 2 Feb, 5-9,
      12-16, 19, 20 = 1 + 5 + 5 + 2 = 13 <= 20 met  -> cla_reviews_first_20wd Feb 2024 1 / 1;
      15 May second, due 20 Feb + 3 months = 20 May: met  -> cla_reviews_subsequent_timely
      May 2024 1 / 1. Participation PN1, C1 aged 13  -> cla_review_participation Feb 1 / 1.
  placement_stability_3plus Jun 2024: C1 2 placements, C4 2 (one per period)  -> 0 / 2.
  Missing: C1 M 3 Jun 2024 -> 5 Jun 2024 (midnight timestamps).
  OC3: C3 (born 20 May 2006, 18 on 30 Jun 2024) YES, F2, D1  -> in touch, EET, suitable: 1 / 1.
  Adoption: placed_for_adoption.csv C2 decided 1 Aug 2023 (not reversed), C4 decided 15 Mar 2024,
      reversed 20 May 2024 (RD1); ad1.csv C2 DATE_INT 1 Aug 2023 (the same decision), matched
      10 Nov 2023, adopted by the foster carer (1)  -> fct_adoption: 2 rows (C2 once, not twice),
      keys 903:<C2>:adoption:2023-08-01 and 903:<C4>:adoption:2024-03-15, both ssda903.
  UASC: uasc.csv lists C1 (DUC 15 Mar 2028)  -> dim_child.was_uasc C1 true (ceased 2028-03-15);
      941 delivered the UASC table, so its other children (C2, C3, C4, L1, L3) false.
941, CIN census (L1, C2, L3)
  L1: referral 8 Jan 2024; assessment 8 Jan -> 20 Feb: wd = Jan 9-12, 15-19, 22-26, 29-31
      (4 + 5 + 5 + 3 = 17) + Feb 1-2, 5-9, 12-16, 19-20 (2 + 5 + 5 + 2 = 14) = 31 <= 45 met
      -> assessments_45wd Feb 2024 1 / 1. S47 10 Jan, ICPC 26 Jan (also the CINdetails'
      DateOfInitialCPC: one conference, not two): wd = 11-12, 15-19, 22-26 = 12 <= 15 met
      -> icpc_15wd Jan 2024 1 / 1. CP plan from 26 Jan (NEG -> NEGLECT, EMO -> EMOTIONAL_ABUSE),
      review 20 Mar, due 26 Apr: on time  -> cp_reviews_timely Mar 2024 1 / 1.
  C2 (also a 903 child: one dim_child row, from the census): referrals 1 Mar 2023 (closed
      31 May 2023) and 15 Feb 2024 (open; CIN plan from 1 Mar 2024).
  L3 (Sex 9 -> U): referral 1 Nov 2023 closed 15 Jan 2024 with a CINdetails ICPC 20 Nov 2023
      and no S47 (unlinked: left out of icpc_15wd); referral 4 Mar 2024 closed the same day.
  re_referrals_12m: Jan 2024 L1 (no earlier)  -> 0 / 1; Feb C2 (1 Mar 2023, 351 days)  -> 1 / 1;
      Mar L3 (1 Nov 2023, 124 days)  -> 1 / 1.
  cin_open 31 Mar 2024: L1, C2 (L3's referrals are closed)  -> 2.  cp_plans_open 31 Mar: L1 -> 1.
  Not available: cp_visits_10wd (ssd_cp_visits), s47_completed_15wd (ssd_s47_enquiry: the
      census has no S47 end), cla_visits_timely (ssd_cla_visits), unallocated_cases
      (ssd_involvements).
942, precedence (the SSD wins inside its span, returns fill outside it)
  SSD referrals SR1 P1 1 Jun 2023 (closed 1 Dec 2023), SR2 P1 10 Mar 2024 (open), SR3 P2 1 Sep
      2023 (closed 31 Jan 2024): span 1 Jun 2023 - 10 Mar 2024. Census: P2 15 Apr 2023 (before:
      kept), P2 1 Sep 2023 (inside: dropped, it is SR3), P3 1 Jul 2023 (inside: dropped), P3
      20 Mar 2024 (after: kept)  -> 5 referrals, 3 ssd + 2 cin_census.
  SSD CP plan SP1 P2 from 2 Oct 2023 (span that day); census plan P2 2 Oct 2023: dropped.
  dim_child: P1, P2 (ssd; P2 is also in the census: one row), P3 (cin_census).
  Adoption: SSD permanence PE1 P1 decided 1 Sep 2023 (matched 1 Dec 2023, placed 10 Jan 2024),
      PE2 P2 decided 1 Feb 2024 reversed 1 Apr 2024 (RD3), PE3 P3 a special guardianship record
      with no adoption date (not a decision)  -> SSD span 1 Sep 2023 - 1 Feb 2024. 903 placed for
      adoption: P1 1 Sep 2023 (inside: dropped; it is PE1, also in AD1), P2 1 May 2023 reversed
      1 Jul 2023 RD4 (before: kept), P3 15 Oct 2023 (inside: dropped), P3 1 May 2024 (after: kept)
      -> fct_adoption 4 rows: 2 ssd (P1, P2) + 2 ssda903 (P2, P3); P1's decision counted once.
  dim_child.was_uasc: 942 sent no UASC table  -> NULL (not known) for P1, P2, P3.
  cp_plans_open 31 Mar 2024: P2 once  -> 1.  cin_open 31 Mar 2024: P1 (SR2), P3 (20 Mar)  -> 2.
  re_referrals_12m Sep 2023: SR3, P2's census referral 15 Apr 2023 is 139 days earlier  -> 1 / 1;
      Mar 2024: SR2 (SR1 283 days earlier: yes), P3 20 Mar (its 1 Jul 2023 was dropped: no)
      -> 1 / 2.
943, SSD only: cin_open Jun 2024 2 (as test_real_shapes), every dim_child row from the SSD.
944, two 903 years (raw keeps 2 + 2 episode rows; staging takes each record from its newest year)
  A1: 2023 return: episode from 1 Jun 2022, open at 31 Mar 2023; 2024 return: the same episode
      (same DECOM), closed 1 Sep 2023 (E11)  -> one period 1 Jun 2022 - 1 Sep 2023.
  B1: 2023 return only: 1 Jan 2023 -> 1 Feb 2023.  C1: 2024 return only: 1 Jan 2024, open.
  cla_open: Jan 2023 A1, B1 -> 2; Mar 2023 A1 -> 1; Aug 2023 A1 -> 1; Sep 2023 none (A1 left on
      1 Sep) -> 0; Jun 2024 C1 -> 1 (were the 2023 row of A1 kept, it would still be open: 2).
945, CSWW 2023 (employed W1 1.0 FTE case holder, W2 0.5 first line manager, W6 no OrgRole and no
  FTE but FTE30 0.4: all in post on 30 Sep 2023  -> employed FTE 1.9; W3 0.8 left 15 Mar 2023;
  W4 left 15 Sep 2022, before the census year; W5 an agency worker record, not counted: agency
  FTE is the authority-level NoAgencyFTE 0.9; vacancies 1.5 FTE)
  agency_rate Sep 2023: 0.9 / (0.9 + 1.9) = 32.142857 %.  vacancy_rate: 1.5 / (1.5 + 1.9)
      = 44.117647 %.  turnover_rate: 0.8 / 1.9 = 42.105263 % (W4 is outside the 12 months).
  Aug 2023: the census says nothing about it  -> no units, value NULL (still available).
"""

import shutil

import duckdb
import pytest

from tests.conftest import FIXTURES, pseudonym_of
from tests.integration.kpi.conftest import run_landing

pytestmark = pytest.mark.slow
LANDING = FIXTURES / "returns"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    landing = tmp_path_factory.mktemp("returns")
    shutil.copytree(LANDING, landing, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "real_shapes" / "933", landing / "943")
    return run_landing(landing, tmp_path_factory.mktemp("work"))


def warehouse(published, sql, params=()):
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def row(published, la, kpi_id, period):
    rows = published.query(
        """SELECT numerator, denominator, round(value, 3), is_available, not_available_reason FROM kpi_scorecard
           WHERE la_code = ? AND kpi_id = ? AND period_type = 'month' AND period_label = ? AND breakdown = 'la'""",
        (la, kpi_id, period),
    )
    assert len(rows) == 1, (la, kpi_id, period, rows)
    return rows[0]


def child(la, value):
    return pseudonym_of("person", la, value)


def test_returns_and_ssd_authorities_publish_side_by_side(published):
    assert published.exit_code == 0
    assert {r[0] for r in published.query("SELECT DISTINCT la_code FROM kpi_scorecard")} == {
        "941",
        "942",
        "943",
        "944",
        "945",
    }


def test_903_periods_of_care_episodes_placements_and_statuses(published):
    c1, c2, c4 = child("941", "C1"), child("941", "C2"), child("941", "C4")
    periods = warehouse(
        published,
        """SELECT child_key, period_of_care_key, start_date::varchar, end_date::varchar,
                                             episode_count, source_format
                                      FROM conformed.fct_periods_of_care WHERE la_code = '941' ORDER BY start_date""",
    )
    assert periods == [
        (c2, f"903:{c2}:2023-01-10", "2023-01-10", "2023-03-10", 1, "ssda903"),
        (c2, f"903:{c2}:2023-06-05", "2023-06-05", "2024-02-20", 1, "ssda903"),
        (c1, f"903:{c1}:2024-02-01", "2024-02-01", None, 3, "ssda903"),
        (c4, f"903:{c4}:2024-03-01", "2024-03-01", "2024-05-01", 1, "ssda903"),
        (c4, f"903:{c4}:2024-05-01", "2024-05-01", None, 1, "ssda903"),
    ]
    episodes = warehouse(
        published,
        """SELECT cla_episode_key, period_of_care_key, placement_key FROM conformed.fct_cla_episodes
                                       WHERE child_key = ? ORDER BY episode_start_date""",
        [c1],
    )
    p = f"903:{c1}:"
    assert episodes == [
        (p + "2024-02-01", p + "2024-02-01", p + "2024-02-01"),
        (p + "2024-04-01", p + "2024-02-01", p + "2024-04-01"),
        (p + "2024-05-15", p + "2024-02-01", p + "2024-04-01"),
    ]
    assert warehouse(
        published,
        """SELECT legal_status_code, start_date::varchar, end_date::varchar FROM conformed.fct_legal_statuses
                                   WHERE child_key = ? ORDER BY start_date""",
        [c1],
    ) == [("C2", "2024-02-01", "2024-05-15"), ("E1", "2024-05-15", None)]
    assert warehouse(
        published,
        """SELECT placement_type, placement_start_date::varchar, placement_end_date::varchar,
                                          change_reason, source_format
                                   FROM conformed.fct_placements WHERE child_key = ? ORDER BY placement_start_date""",
        [c1],
    ) == [
        ("U6", "2024-02-01", "2024-04-01", "CARPL", "ssda903"),
        ("U4", "2024-04-01", None, None, "ssda903"),
    ]
    assert warehouse(
        published,
        """SELECT missing_type, missing_start_datetime::varchar, missing_end_datetime::varchar
                                   FROM conformed.fct_missing_episodes WHERE la_code = '941'""",
    ) == [("M", "2024-06-03 00:00:00", "2024-06-05 00:00:00")]
    assert warehouse(
        published,
        """SELECT review_number, period_of_care_key, is_on_time, source_format FROM conformed.fct_cla_reviews
                                   WHERE la_code = '941' ORDER BY review_date""",
    ) == [(1, p + "2024-02-01", True, "ssda903"), (2, p + "2024-02-01", True, "ssda903")]


def test_cin_census_rows_keys_and_the_icpc_rule(published):
    l1, l3 = child("941", "L1"), child("941", "L3")
    icpcs = warehouse(
        published,
        """SELECT icpc_key, s47_enquiry_key, has_resolved_enquiry, icpc_date::varchar,
                                           working_days_from_s47_start, source_format
                                    FROM conformed.fct_icpcs WHERE la_code = '941' ORDER BY icpc_date""",
    )
    assert icpcs == [
        (f"cin:{l3}:2023-11-01:icpc:2023-11-20", None, False, "2023-11-20", None, "cin_census"),
        (
            f"cin:{l1}:2024-01-08:icpc:2024-01-26",
            f"cin:{l1}:2024-01-08:s47:2024-01-10",
            True,
            "2024-01-26",
            12,
            "cin_census",
        ),
    ]
    assert warehouse(
        published,
        """SELECT cp_plan_key, initial_category, latest_category, source_format FROM conformed.fct_cp_plans
                                   WHERE la_code = '941'""",
    ) == [(f"cin:{l1}:cpp:2024-01-26", "NEGLECT", "EMOTIONAL_ABUSE", "cin_census")]
    assert warehouse(
        published,
        """SELECT cp_plan_key, review_number, is_on_time FROM conformed.fct_cp_reviews
                                   WHERE la_code = '941'""",
    ) == [(f"cin:{l1}:cpp:2024-01-26", 1, True)]
    assert warehouse(
        published,
        """SELECT referral_key, working_days_to_authorisation FROM conformed.fct_assessments
                                   WHERE la_code = '941'""",
    ) == [(f"cin:{l1}:2024-01-08", 31)]


def test_one_row_per_child_with_sex_mapped_by_return_year(published):
    people = {
        k: (s, f)
        for k, s, f in warehouse(
            published,
            "SELECT child_key, sex, source_format FROM conformed.dim_child WHERE la_code = '941'",
        )
    }
    assert people == {
        child("941", "C1"): ("M", "ssda903"),
        child("941", "C3"): ("F", "ssda903"),
        child("941", "C4"): ("M", "ssda903"),
        child("941", "C2"): ("F", "cin_census"),  # in both returns: one row, the census first
        child("941", "L1"): ("F", "cin_census"),
        child("941", "L3"): ("U", "cin_census"),
    }


def test_returns_only_measures(published):
    assert row(published, "941", "cla_open", "Jun 2024")[:3] == (2, None, 2.0)
    assert row(published, "941", "cla_starts", "May 2024")[:3] == (1, None, 1.0)
    assert row(published, "941", "cla_ceased", "May 2024")[:3] == (1, None, 1.0)
    assert row(published, "941", "cla_starts", "Feb 2024")[:3] == (1, None, 1.0)
    assert row(published, "941", "cla_ceased", "Feb 2024")[:3] == (1, None, 1.0)
    assert row(published, "941", "cla_reviews_first_20wd", "Feb 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "cla_reviews_subsequent_timely", "May 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "cla_review_participation", "Feb 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "placement_stability_3plus", "Jun 2024")[:3] == (0, 2, 0.0)
    assert row(published, "941", "care_leavers_in_touch", "Jun 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "care_leavers_eet", "Jun 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "care_leavers_suitable_accommodation", "Jun 2024")[:3] == (
        1,
        1,
        100.0,
    )
    assert row(published, "941", "assessments_45wd", "Feb 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "icpc_15wd", "Jan 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "cp_plans_open", "Mar 2024")[:3] == (1, None, 1.0)
    assert row(published, "941", "cp_reviews_timely", "Mar 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "cin_open", "Mar 2024")[:3] == (2, None, 2.0)
    assert row(published, "941", "re_referrals_12m", "Jan 2024")[:3] == (0, 1, 0.0)
    assert row(published, "941", "re_referrals_12m", "Feb 2024")[:3] == (1, 1, 100.0)
    assert row(published, "941", "re_referrals_12m", "Mar 2024")[:3] == (1, 1, 100.0)


def test_what_the_returns_cannot_support_is_not_available(published):
    na = lambda kpi: row(published, "941", kpi, "Mar 2024")[3:]
    assert na("cp_visits_10wd") == (False, "ssd_cp_visits not delivered")
    assert na("cin_visits_20wd") == (False, "ssd_cin_visits not delivered")
    assert na("s47_completed_15wd") == (False, "ssd_s47_enquiry not delivered")
    assert na("cla_visits_timely") == (False, "ssd_cla_visits not delivered")
    assert na("unallocated_cases") == (False, "ssd_involvements not delivered")
    assert na("missing_rhi_72h") == (False, "ext_return_interviews not delivered")


def test_ssd_wins_inside_its_span_and_returns_fill_outside_it(published):
    p1, p2, p3 = child("942", "P1"), child("942", "P2"), child("942", "P3")
    referrals = warehouse(
        published,
        """SELECT child_key, referral_date::varchar, source_format FROM conformed.fct_referrals
                                        WHERE la_code = '942' ORDER BY referral_date""",
    )
    assert referrals == [
        (p2, "2023-04-15", "cin_census"),
        (p1, "2023-06-01", "ssd"),
        (p2, "2023-09-01", "ssd"),
        (p1, "2024-03-10", "ssd"),
        (p3, "2024-03-20", "cin_census"),
    ]
    assert warehouse(
        published,
        "SELECT child_key, source_format FROM conformed.fct_cp_plans WHERE la_code = '942'",
    ) == [(p2, "ssd")]
    assert sorted(
        warehouse(
            published,
            "SELECT child_key, source_format FROM conformed.dim_child WHERE la_code = '942'",
        )
    ) == sorted([(p1, "ssd"), (p2, "ssd"), (p3, "cin_census")])
    assert row(published, "942", "cp_plans_open", "Mar 2024")[:3] == (1, None, 1.0)
    assert row(published, "942", "cin_open", "Mar 2024")[:3] == (2, None, 2.0)
    assert row(published, "942", "re_referrals_12m", "Sep 2023")[:3] == (1, 1, 100.0)
    assert row(published, "942", "re_referrals_12m", "Mar 2024")[:3] == (1, 2, 50.0)


def test_903_adoption_decisions_and_uasc(published):
    c1, c2, c4 = child("941", "C1"), child("941", "C2"), child("941", "C4")
    assert warehouse(
        published,
        """SELECT adoption_key, child_key, decision_date::varchar, matched_date::varchar,
                                          placed_for_adoption_date, decision_reversed_date::varchar, decision_reversed_reason,
                                          is_decision_reversed, is_adopted_by_foster_carer, source_format
                                   FROM conformed.fct_adoption WHERE la_code = '941' ORDER BY decision_date""",
    ) == [
        (
            f"903:{c2}:adoption:2023-08-01",
            c2,
            "2023-08-01",
            "2023-11-10",
            None,
            None,
            None,
            False,
            True,
            "ssda903",
        ),
        (
            f"903:{c4}:adoption:2024-03-15",
            c4,
            "2024-03-15",
            None,
            None,
            "2024-05-20",
            "RD1",
            True,
            None,
            "ssda903",
        ),
    ]
    uasc = {
        k: (w, d)
        for k, w, d in warehouse(
            published,
            "SELECT child_key, was_uasc, uasc_ceased_date::varchar FROM conformed.dim_child WHERE la_code = '941'",
        )
    }
    assert uasc == {
        c1: (True, "2028-03-15"),
        c2: (False, None),
        child("941", "C3"): (False, None),
        c4: (False, None),
        child("941", "L1"): (False, None),
        child("941", "L3"): (False, None),
    }


def test_ssd_permanence_wins_inside_its_span_and_no_decision_is_counted_twice(published):
    p1, p2, p3 = child("942", "P1"), child("942", "P2"), child("942", "P3")
    assert warehouse(
        published,
        """SELECT child_key, decision_date::varchar, matched_date::varchar,
                                          placed_for_adoption_date::varchar, decision_reversed_date::varchar,
                                          decision_reversed_reason, source_format
                                   FROM conformed.fct_adoption WHERE la_code = '942' ORDER BY decision_date""",
    ) == [
        (p2, "2023-05-01", None, None, "2023-07-01", "RD4", "ssda903"),
        (p1, "2023-09-01", "2023-12-01", "2024-01-10", None, None, "ssd"),
        (p2, "2024-02-01", None, None, "2024-04-01", "RD3", "ssd"),
        (p3, "2024-05-01", None, None, None, None, "ssda903"),
    ]
    assert warehouse(
        published,
        """SELECT adoption_key FROM conformed.fct_adoption
                                   WHERE la_code = '942' AND source_format = 'ssd' ORDER BY decision_date""",
    ) == [(pseudonym_of("permanence", "942", "PE1"),), (pseudonym_of("permanence", "942", "PE2"),)]
    assert warehouse(
        published, "SELECT DISTINCT was_uasc FROM conformed.dim_child WHERE la_code = '942'"
    ) == [(None,)]


def test_ssd_only_authority_is_unchanged(published):
    assert row(published, "943", "cin_open", "Jun 2024")[:3] == (2, None, 2.0)
    assert warehouse(
        published,
        "SELECT DISTINCT source_format FROM conformed.dim_child WHERE la_code = '943' "
        "AND NOT is_inferred_member",
    ) == [("ssd",)]


def test_return_staging_has_the_shape_of_the_ssd_staging_it_parallels(published):
    pairs = {
        "stg_ssda903__persons": "stg_ssd__persons",
        "stg_ssda903__cla_episodes": "stg_ssd__cla_episodes",
        "stg_ssda903__legal_statuses": "stg_ssd__legal_statuses",
        "stg_ssda903__cla_placements": "stg_ssd__cla_placements",
        "stg_ssda903__cla_reviews": "stg_ssd__cla_reviews",
        "stg_ssda903__missing": "stg_ssd__missing",
        "stg_ssda903__care_leavers": "stg_ssd__care_leavers",
        "stg_ssda903__permanence": "stg_ssd__permanence",
        "stg_cin_census__persons": "stg_ssd__persons",
        "stg_cin_census__disabilities": "stg_ssd__disabilities",
        "stg_cin_census__cin_episodes": "stg_ssd__cin_episodes",
        "stg_cin_census__cin_assessments": "stg_ssd__cin_assessments",
        "stg_cin_census__s47_enquiries": "stg_ssd__s47_enquiries",
        "stg_cin_census__initial_cp_conferences": "stg_ssd__initial_cp_conferences",
        "stg_cin_census__cp_plans": "stg_ssd__cp_plans",
        "stg_cin_census__cp_reviews": "stg_ssd__cp_reviews",
        "stg_cin_census__cin_plans": "stg_ssd__cin_plans",
    }
    sql = """SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'staging' AND table_name = ? ORDER BY ordinal_position"""
    for returned, ssd in pairs.items():
        shape = warehouse(published, sql, [ssd])
        assert shape, ssd
        assert warehouse(published, sql, [returned]) == shape + [("source_format", "VARCHAR")], (
            returned
        )


def test_source_format_is_visible_in_published_detail_tables(published):
    details = published.query("""SELECT referral_date::varchar, source_format FROM kpi_re_referrals_12m_detail
                                 WHERE la_code = '942' ORDER BY referral_date""")
    assert details == [
        ("2023-04-15", "cin_census"),
        ("2023-06-01", "ssd"),
        ("2023-09-01", "ssd"),
        ("2024-03-10", "ssd"),
        ("2024-03-20", "cin_census"),
    ]
    assert published.query(
        "SELECT DISTINCT source_format FROM kpi_cla_reviews_timely_detail WHERE la_code = '941'"
    ) == [("ssda903",)]
    assert published.query(
        "SELECT DISTINCT source_format FROM kpi_icpc_15wd_detail WHERE la_code = '941'"
    ) == [("cin_census",)]


def test_returns_of_several_years_are_all_current_and_each_record_counted_once(published):
    a1, b1, c1 = child("944", "A1"), child("944", "B1"), child("944", "C1")
    assert warehouse(
        published,
        """SELECT return_year, count(*) FROM raw.ssda903_episodes WHERE la_code = '944'
                                   GROUP BY 1 ORDER BY 1""",
    ) == [(2023, 2), (2024, 2)]
    assert warehouse(
        published,
        """SELECT table_name, return_year, source_file FROM raw_meta.current_versions
                                   WHERE la_code = '944' ORDER BY 1, 2""",
    ) == [
        ("ssda903_episodes", 2023, "944/2024-06-30/SSDA903_2023_episodes.csv"),
        ("ssda903_episodes", 2024, "944/2024-06-30/SSDA903_2024_episodes.csv"),
        ("ssda903_header", 2023, "944/2024-06-30/SSDA903_2023_header.csv"),
        ("ssda903_header", 2024, "944/2024-06-30/SSDA903_2024_header.csv"),
    ]
    assert warehouse(
        published,
        """SELECT source_file, return_year, rows_loaded FROM raw_meta.load_log
                                   WHERE la_code = '944' AND table_name = 'ssda903_episodes' ORDER BY 1""",
    ) == [
        ("944/2024-06-30/SSDA903_2023_episodes.csv", 2023, 2),
        ("944/2024-06-30/SSDA903_2024_episodes.csv", 2024, 2),
    ]
    assert warehouse(
        published,
        """SELECT child_key, start_date::varchar, end_date::varchar FROM conformed.fct_periods_of_care
                                   WHERE la_code = '944' ORDER BY start_date""",
    ) == [
        (a1, "2022-06-01", "2023-09-01"),
        (b1, "2023-01-01", "2023-02-01"),
        (c1, "2024-01-01", None),
    ]
    assert warehouse(
        published, "SELECT count(*) FROM conformed.dim_child WHERE la_code = '944'"
    ) == [(3,)]
    for period, count in [
        ("Jan 2023", 2),
        ("Mar 2023", 1),
        ("Aug 2023", 1),
        ("Sep 2023", 0),
        ("Jun 2024", 1),
    ]:
        assert row(published, "944", "cla_open", period)[0] == count, period
    # the raw-layer report adds up the two years' files of each table
    assert warehouse(
        published,
        """SELECT rows_read, rows_loaded, rows_quarantined, source_file FROM quality.dq_report
                                   WHERE la_code = '944' AND table_name = 'ssda903_episodes'""",
    ) == [
        (
            4,
            4,
            0,
            "944/2024-06-30/SSDA903_2023_episodes.csv, 944/2024-06-30/SSDA903_2024_episodes.csv",
        )
    ]


def test_workforce_census_gives_the_rates_on_its_census_date(published):
    for kpi_id, expected in [
        ("agency_rate", (0.9, 2.8, 32.143)),
        ("vacancy_rate", (1.5, 3.4, 44.118)),
        ("turnover_rate", (0.8, 1.9, 42.105)),
    ]:
        numerator, denominator, value, available, _ = row(published, "945", kpi_id, "Sep 2023")
        assert (numerator, denominator, value) == pytest.approx(expected), kpi_id
        assert available, kpi_id
    assert row(published, "945", "agency_rate", "Aug 2023")[2:4] == (None, True)
    details = published.query("""SELECT staff_key, employment, fte, source_format FROM kpi_agency_rate_detail
                                 WHERE la_code = '945' AND snapshot_date = DATE '2023-09-30' ORDER BY fte""")
    assert [(d[1], d[2], d[3]) for d in details] == [
        ("PERMANENT", 0.4, "csww"),
        ("PERMANENT", 0.5, "csww"),
        ("AGENCY", 0.9, "csww"),
        ("PERMANENT", 1.0, "csww"),
    ]
    # the census has no allocations or supervisions
    for kpi_id in ("caseload_average", "supervision_monthly"):
        assert row(published, "945", kpi_id, "Sep 2023")[3] is False, kpi_id


def test_dfe_validators_are_off_by_default_and_the_report_says_why(published):
    """CSCW_DFE_VALIDATORS unset: each current return of 941 (903 and CIN census, return year 2024)
    is recorded as not run, with no finding, and 941's report page says why."""
    from orchestration.lib.settings import load_settings

    assert warehouse(
        published,
        """SELECT collection, return_year, status FROM quality.dfe_validator_runs
                                   WHERE la_code = '941' ORDER BY collection""",
    ) == [("cin", 2024, "not_run"), ("ssda903", 2024, "not_run")]
    assert warehouse(published, "SELECT count(*) FROM quality.dfe_findings") == [(0,)]
    page = (load_settings().quality_dir / "report" / "941.html").read_text(encoding="utf-8")
    assert (
        "<p>Not run: CSCW_DFE_VALIDATORS is off (the default); see docs/dfe_validators.md</p>"
        in page
    )
