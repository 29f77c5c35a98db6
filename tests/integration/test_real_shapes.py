"""A landing as councils really send it (tests/fixtures/real_shapes), end to end through `cscw run`.

931 SystemC-shaped: the v1.4.5 script's columns and order, missing values written as the text
    NULL, date-times with .000, NCHAR(5) flags padded with spaces, the S47 / ICPC worker columns
    holding the staff id, the referral worker column a description, -1 teams and workers, a visit
    of a child not in ssd_person, an involvement naming a referral that is not there.
932 Mosaic-shaped: `cin_plan_id`, no person id on CIN and CP visits, CP reviews, placements and
    involvements (the child comes from the parent row), review answers as free text, an
    involvement team written as a name; no ssd_cla_visits, ssd_s47_enquiry, ... delivered.
933 A script writing NULL for everything empty, sentinel dates (1900-01-01 = none, 9999-12-31 and
    2079-06-06 = not ended), no ssd_department and no ssd_involvements or ssd_cp_visits.
934 (made in the test) 933's files plus an assessments file whose every date is impossible: a
    blocking fault. It is held back; the others publish; the run exits 3.

Data date 2024-06-30 for all; the period checked is June 2024 (20 working days, no bank
holiday). wd(a, b) counts the working days d with a < d <= b; May 2024 has 21 working days
(6 and 27 May are bank holidays), April 21 (1 April is Easter Monday), March 4-28 has 19 (29
March is Good Friday).

931 (June 2024)
  assessments_45wd: authorised in June: AS1 wd(1 May, 5 Jun) = 20 + 3 = 23 met (team T1);
    AS2 wd(2 Apr, 14 Jun) = 20 + 21 + 10 = 51 not met (team -1: placeholder, A2 unallocated);
    AS4 wd(20 Apr, 21 Jun) = 7 + 21 + 15 = 43 met (team T1); AS3 not authorised  -> 2 / 3
  icpc_15wd: IC1 wd(3 Jun, 20 Jun) = 13 met; IC2 wd(20 May, 24 Jun) = 8 + 16 = 24 not met;
    IC3 has no enquiry: excluded  -> 1 / 2. Teams: IC1 -1 -> A4's allocation I4 (T1) on 20 Jun;
    IC2 -1 -> A6's team-only allocation I2 (T2). IC1's worker S1 is W1's staff id.
  cp_plans_open at 30 Jun: A4 (P1), A6 (P2), A5 (P4); P3 ends on 30 Jun  -> 3
  cp_visits_10wd: A4 seen 27 Jun, wd = 1 met; A6 no visit, plan 24 Jun, wd = 4 met; A5 last
    seen 10 Jun (25 Jun not seen), wd = 14 not met  -> 2 / 3
  unallocated_cases: open = A1, A2, A3 (referrals), A4, A5, A6 (plans), A7 (looked after, CE1);
    allocated: A1 (I1), A4 (I4), A6 (I2, team only: still an involvement); A5's I3 ended 15 Jun
    -> A2, A3, A5, A7 = 4
  cla_open: A7  -> 1
  re_referrals_12m: June referrals R4 (A3's R3 283 days earlier: yes), R5 (A5's R6 524 days
    earlier: no)  -> 1 / 2
932 (June 2024)
  cin_visits_20wd: open CIN plan, no open CP plan: B1 (N1; seen 3 Jun, wd = 19 met), B2 (N2;
    seen 31 May, wd = 20 met; 28 Jun not seen), B5 (N4; seen 15 May, wd = 11 + 20 = 31 not
    met); B3 has an open CP plan  -> 2 / 3
  cp_visits_10wd: B3 seen 14 Jun, wd = 10 met; B4 seen 4 Jun, wd = 18 not met  -> 1 / 2
  cp_reviews_timely: RV2 (PB4 from 3 Jun, due 3 Sep) held 28 Jun: on time  -> 1 / 1
    (May: RV1, PB3 from 1 Feb due 1 May, held 2 May: late  -> 0 / 1)
  cla_open: B6 (CLA1, episode E2 open)  -> 1
  unallocated_cases: open B1..B6; allocated B1 (IB1), B4 (IB2)  -> 4
  cla_visits_timely: ssd_cla_visits not delivered  -> not available
933 (June 2024, all in team -1)
  cin_open: D1 (RD1, closed 1900-01-01 = no date), D2 (RD2 to 9999-12-31, RD3)  -> 2
  re_referrals_12m: RD1 (no earlier), RD3 (RD2 324 days earlier)  -> 1 / 2
  assessments_45wd: AD1 wd(5 Jun, 26 Jun) = 15 met; AD2 wd(1 Mar, 3 Jun) = 19 + 21 + 21 + 1 =
    62 not met  -> 1 / 2
  cp_plans_open: PD1 (to 9999-12-31), PD2 (to 2079-06-06); PD3 ended 1 Mar  -> 2
  cp_visits_10wd: not available (ssd_cp_visits not delivered); unallocated_cases: not available
    (ssd_cla_episodes and ssd_involvements not delivered)
"""

import shutil

import duckdb
import pytest

from tests.conftest import FIXTURES, add_blocked_authority, pseudonym_of
from tests.integration.kpi.conftest import run_landing

pytestmark = pytest.mark.slow
LANDING = FIXTURES / "real_shapes"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    landing = tmp_path_factory.mktemp("real_shapes")
    shutil.copytree(LANDING, landing, dirs_exist_ok=True)
    add_blocked_authority(landing)
    return run_landing(landing, tmp_path_factory.mktemp("work"))


def row(published, la, kpi_id, period="Jun 2024", breakdown="la", breakdown_id=None):
    """(numerator, denominator, value, is_available, not_available_reason) of a scorecard row: the
    published one for the authority; a team's from the warehouse, because the published copy
    suppresses team counts under 5 (docs/privacy.md)."""
    sql = """SELECT numerator, denominator, round(value, 3), is_available, not_available_reason FROM {table}
             WHERE la_code = ? AND kpi_id = ? AND period_type = 'month' AND period_label = ? AND breakdown = ?
               AND breakdown_id = ?"""
    params = (la, kpi_id, period, breakdown, breakdown_id or la)
    if breakdown == "la":
        rows = published.query(sql.format(table="kpi_scorecard"), params)
    else:
        rows = warehouse(published, sql.format(table="kpi.kpi_scorecard"), params)
    assert len(rows) == 1, (la, kpi_id, rows)
    return rows[0]


def warehouse(published, sql, params=()):
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_three_shapes_publish_and_the_blocked_authority_is_held_back(published):
    assert published.exit_code == 3
    authorities = {r[0] for r in published.query("SELECT DISTINCT la_code FROM kpi_scorecard")}
    assert authorities == {"931", "932", "933"}
    verdicts = dict(
        warehouse(published, "SELECT la_code, verdict FROM quality.verdicts")
    )  # one run
    assert verdicts == {
        "931": "published",
        "932": "published",
        "933": "published",
        "934": "held_back",
    }


def test_rows_read_add_up_and_only_unusable_rows_are_quarantined(published):
    accounting = warehouse(
        published,
        """SELECT la_code, table_name, rows_read, rows_loaded, rows_quarantined
                                         FROM raw_meta.load_log WHERE status = 'loaded' AND la_code <> '934'""",
    )
    assert all(read == loaded + quarantined for _, _, read, loaded, quarantined in accounting)
    read = {}
    for la, _, n, _, _ in accounting:
        read[la] = read.get(la, 0) + n
    # records in the fixture files (931: 7+3+2+6+4+2+3+4+4+4+1; 932: 6+3+2+5+4+6+2+2+2+2+2+3; 933: 4+4+2+3)
    assert read == {"931": 40, "932": 39, "933": 13}
    quarantined = warehouse(
        published,
        "SELECT la_code, table_name, line, column_name FROM raw_meta.quarantine "
        "WHERE la_code <> '934' ORDER BY ALL",
    )
    # the Mosaic visit and involvement whose plan / referral is not there have no child
    assert quarantined == [
        ("932", "ssd_cin_visits", 5, "cinv_person_id"),
        ("932", "ssd_involvements", 4, "invo_person_id"),
    ]
    naming = dict(
        warehouse(
            published,
            "SELECT la_code || '.' || table_name, naming FROM raw_meta.load_log "
            "WHERE status = 'loaded'",
        )
    )
    assert naming["932.ssd_cin_plans"] == "mosaic" and naming["931.ssd_person"] == "ssd"


def test_orphans_load_and_are_reported(published):
    orphans = warehouse(
        published,
        """SELECT la_code, table_name, column_name, rows_orphaned, rows_resolved_by_alternate_key
                                      FROM raw_meta.orphans WHERE la_code IN ('931', '932') ORDER BY ALL""",
    )
    assert orphans == [
        ("931", "ssd_cin_assessments", "cina_assessment_worker_id", 0, 1),  # S2: W2's staff id
        ("931", "ssd_cin_episodes", "cine_referral_worker_id", 1, 0),  # a description
        ("931", "ssd_cp_visits", "cppv_person_id", 1, 0),  # A9 not in ssd_person
        ("931", "ssd_initial_cp_conference", "icpc_icpc_worker_id", 0, 3),  # staff ids
        ("931", "ssd_involvements", "invo_referral_id", 1, 0),  # R99
        ("931", "ssd_s47_enquiry", "s47e_s47_completed_by_worker_id", 0, 2),  # staff ids
        ("932", "ssd_involvements", "invo_professional_team", 1, 0),  # a team name
    ]
    # in the conformed layer the orphan child is an unknown member of dim_child (no row lost),
    # and the facts' child_key relationship test counts it as a warning: A9's one visit
    orphan_children = warehouse(
        published,
        """SELECT la_code, table_name, severity, success, unexpected_count
        FROM quality.check_results WHERE check_name = 'dbt_tests' AND NOT success
          AND expectation = 'relationships_within_authority' AND column_name = 'child_key'
          AND run_id = (SELECT max_by(run_id, checked_at) FROM quality.check_results) ORDER BY ALL""",
    )
    assert orphan_children == [("931", "fct_visits", "warning", False, 1)]
    # staff ids resolve to the worker; a description to the unknown worker
    icpc_workers = warehouse(
        published,
        "SELECT worker_key FROM conformed.fct_icpcs WHERE la_code = '931' ORDER BY icpc_date",
    )
    assert icpc_workers == [(pseudonym_of("professional", "931", w),) for w in ("W1", "W2", "W1")]
    assert warehouse(
        published,
        "SELECT worker_key FROM conformed.fct_referrals WHERE la_code = '931' AND referral_key = ?",
        [pseudonym_of("referral", "931", "R1")],
    ) == [("-1",)]


def test_systemc_measures(published):
    assert row(published, "931", "assessments_45wd")[:3] == (2, 3, 66.667)
    assert row(published, "931", "assessments_45wd", breakdown="team", breakdown_id="T1")[:2] == (
        2,
        2,
    )
    assert row(published, "931", "assessments_45wd", breakdown="team", breakdown_id="-1")[:2] == (
        0,
        1,
    )
    assert row(published, "931", "icpc_15wd")[:3] == (1, 2, 50.0)
    assert row(published, "931", "cp_plans_open")[:3] == (3, None, 3.0)
    assert row(published, "931", "cp_visits_10wd")[:3] == (2, 3, 66.667)
    assert row(published, "931", "unallocated_cases")[:3] == (4, None, 4.0)
    assert row(published, "931", "cla_open")[:3] == (1, None, 1.0)
    assert row(published, "931", "re_referrals_12m")[:3] == (1, 2, 50.0)


def test_mosaic_measures(published):
    assert row(published, "932", "cin_visits_20wd")[:3] == (2, 3, 66.667)
    assert row(published, "932", "cp_visits_10wd")[:3] == (1, 2, 50.0)
    assert row(published, "932", "cp_reviews_timely")[:3] == (1, 1, 100.0)
    assert row(published, "932", "cp_reviews_timely", period="May 2024")[:3] == (0, 1, 0.0)
    assert row(published, "932", "cla_open")[:3] == (1, None, 1.0)
    assert row(published, "932", "unallocated_cases")[:3] == (4, None, 4.0)
    assert row(published, "932", "cla_visits_timely") == (
        None,
        None,
        None,
        False,
        "ssd_cla_visits not delivered",
    )


def test_text_null_and_sentinel_dates(published):
    assert row(published, "933", "cin_open")[:3] == (2, None, 2.0)
    assert row(published, "933", "re_referrals_12m")[:3] == (1, 2, 50.0)
    assert row(published, "933", "assessments_45wd")[:3] == (1, 2, 50.0)
    assert row(published, "933", "assessments_45wd", breakdown="team", breakdown_id="-1")[:2] == (
        1,
        2,
    )
    assert row(published, "933", "cp_plans_open")[:3] == (2, None, 2.0)
    assert row(published, "933", "cp_visits_10wd") == (
        None,
        None,
        None,
        False,
        "ssd_cp_visits not delivered",
    )
    # open cases need looked-after episodes too: an authority that sends none cannot say who is open
    assert row(published, "933", "unallocated_cases") == (
        None,
        None,
        None,
        False,
        "ssd_cla_episodes or ssda903_episodes not delivered; ssd_involvements not delivered",
    )
