"""The shapes councils' SQL Server scripts really produce (../shared/samples/ssd_spec, README):
text NULL, SQL Server date-times, sentinel dates, placeholder ids, free-text answers where a flag
was assumed, Mosaic's names and missing children, SystemC's identifiers and staff-id worker
references, direct identifiers outside the contract. Hand-written files; every expected value is
worked out by hand from the text below."""

from datetime import datetime
from pathlib import Path

from orchestration.lib.ingest.loader import load_landing
from tests.conftest import pseudonym_of

from .conftest import QUIET, connect


def load(tmp_path: Path, files: dict[str, str], la_code: str = "884"):
    drop = tmp_path / "landing" / la_code / "2025-03-31"
    drop.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (drop / f"{name}.csv").write_text(text, encoding="utf-8")
    con = connect(tmp_path / "w.duckdb")
    return con, load_landing(con, tmp_path / "landing", "run1", **QUIET)


def loaded(report) -> dict[str, tuple[int, int, int]]:
    return {r.file.table: (r.rows_read, r.rows_loaded, r.rows_quarantined) for r in report.loaded}


def log(con, table: str) -> tuple[str, str]:
    return con.execute(
        "SELECT naming, notes FROM raw_meta.load_log WHERE table_name = ?", [table]
    ).fetchone()


# SystemC v1.4.5 column order for ssd_person, exported by SSMS: NULL as text, datetime with .000
SYSTEMC_PERSON = (
    "pers_legacy_id,pers_person_id,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_single_unique_id,pers_upn,"
    "pers_upn_unknown,pers_send_flag,pers_expected_dob,pers_death_date,pers_is_mother,pers_nationality\n"
    "L1,1001,F,NULL,WBRI,2015-01-02 00:00:00.000,9434765919,A123456789012,NULL,N,NULL,NULL,NULL,NULL\n"  # 2
    "NULL,1002,M,NULL,null,2016-02-03 00:00:00.000,NULL,NULL,UN1,NULL,NULL,1900-01-01 00:00:00.000,N,NULL\n"  # 3
    "NULL,1003,NULL,NULL,NULL,NULL,NULL,NULL,NULL,Yes,2025-06-01 00:00:00.0000000,NULL,NULL,NULL\n"  # 4: unborn
)


def test_text_null_sql_server_datetimes_and_sentinels_load_as_missing(tmp_path):
    con, report = load(tmp_path, {"ssd_person": SYSTEMC_PERSON})
    assert loaded(report) == {"ssd_person": (3, 3, 0)}
    assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone() == (0,)
    rows = con.execute(
        "SELECT pers_person_id, pers_sex, pers_ethnicity, pers_dob, pers_death_date, pers_expected_dob, "
        "pers_send_flag, pers_is_mother FROM raw.ssd_person ORDER BY source_line"
    ).fetchall()
    assert rows == [
        (
            pseudonym_of("person", "884", "1001"),
            "F",
            "WBRI",
            datetime(2015, 1, 2),
            None,
            None,
            "N",
            None,
        ),
        (
            pseudonym_of("person", "884", "1002"),
            "M",
            None,
            datetime(2016, 2, 3),
            None,
            None,
            None,
            False,
        ),
        (
            pseudonym_of("person", "884", "1003"),
            None,
            None,
            None,
            None,
            datetime(2025, 6, 1),
            "Yes",
            None,
        ),
    ]
    notes = con.execute(
        "SELECT column_name, note, rows FROM raw_meta.value_notes ORDER BY 1, 2"
    ).fetchall()
    assert notes == [
        # 1900-01-01 is the sentinel on line 3; the text NULL counts per column
        ("pers_death_date", "null text read as missing", 2),
        ("pers_death_date", "sentinel date read as no date", 1),
        ("pers_dob", "null text read as missing", 1),
        ("pers_ethnicity", "null text read as missing", 2),  # NULL and null
        ("pers_expected_dob", "null text read as missing", 2),
        ("pers_gender", "null text read as missing", 3),
        ("pers_is_mother", "null text read as missing", 2),
        ("pers_legacy_id", "null text read as missing", 2),
        ("pers_nationality", "null text read as missing", 3),
        ("pers_send_flag", "null text read as missing", 1),
        ("pers_sex", "null text read as missing", 1),
        ("pers_single_unique_id", "null text read as missing", 2),
        ("pers_upn", "null text read as missing", 2),
        ("pers_upn_unknown", "null text read as missing", 2),
    ]
    # the SystemC names are the SSD's own; the NHS number and UPN never enter raw
    assert log(con, "ssd_person")[0] == "ssd"
    columns = {
        r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw.ssd_person)").fetchall()
    }
    assert not {"pers_single_unique_id", "pers_upn", "pers_legacy_id"} & columns
    assert sorted(
        con.execute("SELECT column_name, value FROM restricted.direct_identifiers").fetchall()
    ) == [
        ("pers_legacy_id", "L1"),
        ("pers_single_unique_id", "9434765919"),
        ("pers_upn", "A123456789012"),
    ]


def test_the_yaml_name_of_the_nhs_number_is_recognised(tmp_path):
    con, _ = load(
        tmp_path,
        {"ssd_person": "pers_person_id,pers_common_child_id,pers_dob\nP1,9434765919,2015-01-02\n"},
    )
    assert log(con, "ssd_person")[0] == "ssd_yaml"
    assert con.execute(
        "SELECT column_name, value FROM restricted.direct_identifiers"
    ).fetchall() == [("pers_single_unique_id", "9434765919")]


PERSONS = "pers_person_id,pers_dob\nC1,2015-01-02\nC2,2016-02-03\nC3,2017-03-04\n"
REFERRALS = (
    "cine_referral_id,cine_person_id,cine_referral_date\nR1,C1,2024-01-05\nR2,C2,2024-02-05\n"
)
# Mosaic: the CIN plan id is named cin_plan_id; visits, reviews, placements and involvements carry
# no person id, so the child comes from the parent row.
MOSAIC = {
    "ssd_person": PERSONS,
    "ssd_cin_episodes": REFERRALS,
    "ssd_cin_plans": "cin_plan_id,cinp_referral_id,cinp_person_id,cinp_cin_plan_start_date\nN1,R1,C1,2024-02-01\n",
    "ssd_cin_visits": (
        "cinv_cin_visit_id,cinv_cin_plan_id,cinv_cin_visit_date,cinv_cin_visit_seen\n"
        "V1,N1,2024-02-10,Y\n"  # 2: child C1 from plan N1
        "V2,N9,2024-02-11,Y\n"  # 3: no plan N9, so no child: quarantined
    ),
    "ssd_cp_plans": "cppl_cp_plan_id,cppl_person_id,cppl_cp_plan_start_date\nP1,C2,2024-03-01\n",
    "ssd_cp_visits": "cppv_cp_visit_id,cppv_cp_plan_id,cppv_cp_visit_date,cppv_cp_visit_seen\nPV1,P1,2024-03-08,Y\n",
    "ssd_cp_reviews": (
        "cppr_cp_review_id,cppr_cp_plan_id,cppr_cp_review_date,cppr_cp_review_outcome_continue_cp,cppr_cp_review_quorate\n"
        "PR1,P1,2024-05-20,Continue plan - review in 6 months,Y\n"  # free text kept as text
    ),
    "ssd_cla_episodes": "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_id\nE1,C3,2024-01-10,CLA1\nE2,C3,2024-03-10,CLA1\n",
    "ssd_cla_placement": "clap_cla_placement_id,clap_cla_id,clap_cla_placement_start_date\nPL1,CLA1,2024-01-10\n",
    "ssd_involvements": (
        "invo_involvements_id,invo_professional_id,invo_professional_team,invo_involvement_start_date,invo_referral_id\n"
        "I1,W1,Children in Need Team North,2024-01-05,R1\n"  # Mosaic writes the team's name
    ),
}


def test_mosaic_names_and_children_taken_from_the_parent_row(tmp_path):
    con, report = load(tmp_path, MOSAIC)
    assert loaded(report)["ssd_cin_visits"] == (2, 1, 1)
    for table in (
        "ssd_cin_plans",
        "ssd_cp_visits",
        "ssd_cp_reviews",
        "ssd_cla_placement",
        "ssd_involvements",
    ):
        assert loaded(report)[table] == (1, 1, 0), table
    assert log(con, "ssd_cin_plans")[0] == "mosaic"
    child = {c: pseudonym_of("person", "884", c) for c in ("C1", "C2", "C3")}
    assert con.execute(
        "SELECT cinp_cin_plan_id, cinp_person_id FROM raw.ssd_cin_plans"
    ).fetchall() == [(pseudonym_of("cin_plan", "884", "N1"), child["C1"])]
    assert con.execute("SELECT cinv_person_id FROM raw.ssd_cin_visits").fetchall() == [
        (child["C1"],)
    ]
    assert con.execute("SELECT cppv_person_id FROM raw.ssd_cp_visits").fetchall() == [
        (child["C2"],)
    ]
    assert con.execute(
        "SELECT cppr_person_id, cppr_cp_review_outcome_continue_cp, cppr_cp_review_quorate "
        "FROM raw.ssd_cp_reviews"
    ).fetchall() == [(child["C2"], "Continue plan - review in 6 months", "Y")]
    assert con.execute("SELECT clap_person_id FROM raw.ssd_cla_placement").fetchall() == [
        (child["C3"],)
    ]
    assert con.execute(
        "SELECT invo_person_id, invo_professional_team FROM raw.ssd_involvements"
    ).fetchall() == [(child["C1"], "Children in Need Team North")]
    assert con.execute(
        "SELECT table_name, line, column_name, reason FROM raw_meta.quarantine"
    ).fetchall() == [
        (
            "ssd_cin_visits",
            3,
            "cinv_person_id",
            "no child: cinv_person_id is empty and cinv_cin_plan_id finds no ssd_cin_plans row with a child",
        )
    ]
    assert (
        "child taken from the parent row (ssd_cp_plans via cppv_cp_plan_id): 1 rows"
        in log(con, "ssd_cp_visits")[1]
    )
    # the Mosaic team name resolves to no department: loaded, counted as an orphan
    assert con.execute(
        "SELECT table_name, column_name, parent_delivered, rows_orphaned FROM raw_meta.orphans "
        "WHERE table_name = 'ssd_involvements' ORDER BY 2"
    ).fetchall() == [
        ("ssd_involvements", "invo_professional_id", False, 1),
        ("ssd_involvements", "invo_professional_team", False, 1),
    ]


def test_placeholder_ids_and_staff_id_worker_references(tmp_path):
    files = {
        "ssd_person": PERSONS,
        "ssd_professionals": "prof_professional_id,prof_staff_id,prof_professional_name\nW1,S100,Ann Worker\nW2,S200,Bob Worker\n",
        "ssd_department": "dept_team_id,dept_team_name\nT1,Team 1\n",
        # SystemC: the S47 worker column holds the staff id; -1 teams and 0 workers mean none
        "ssd_s47_enquiry": (
            "s47e_s47_enquiry_id,s47e_person_id,s47e_s47_start_date,s47e_s47_completed_by_worker_id,s47e_s47_completed_by_team\n"
            "S1,C1,2024-01-05,S100,T1\n"  # 2: staff id of W1: resolved by the alternate key
            "S2,C2,2024-01-06,-1,-1\n"  # 3: placeholders: no worker, no team
            "S3,C3,2024-01-07,0,T1\n"  # 4: placeholder worker
            "S4,C3,2024-01-08,Jo Bloggs (SW),T1\n"  # 5: a description: matches nobody
        ),
    }
    con, report = load(tmp_path, files)
    assert loaded(report)["ssd_s47_enquiry"] == (4, 4, 0)
    rows = con.execute(
        "SELECT s47e_s47_completed_by_worker_id, s47e_s47_completed_by_team FROM raw.ssd_s47_enquiry "
        "ORDER BY source_line"
    ).fetchall()
    assert rows == [
        (pseudonym_of("professional", "884", "S100"), "T1"),
        (None, None),
        (None, "T1"),
        (pseudonym_of("professional", "884", "Jo Bloggs (SW)"), "T1"),
    ]
    assert con.execute(
        "SELECT column_name, note, rows FROM raw_meta.value_notes WHERE table_name = 'ssd_s47_enquiry' "
        "ORDER BY 1"
    ).fetchall() == [
        ("s47e_s47_completed_by_team", "placeholder id read as no reference", 1),
        ("s47e_s47_completed_by_worker_id", "placeholder id read as no reference", 2),
    ]
    assert con.execute(
        "SELECT column_name, rows_with_reference, rows_orphaned, rows_resolved_by_alternate_key, example_lines "
        "FROM raw_meta.orphans WHERE table_name = 'ssd_s47_enquiry'"
    ).fetchall() == [("s47e_s47_completed_by_worker_id", 2, 1, 1, "5")]
    # the workers' names are restricted; the description a worker column held is only a pseudonym
    assert sorted(con.execute("SELECT value FROM restricted.direct_identifiers").fetchall()) == [
        ("Ann Worker",),
        ("Bob Worker",),
    ]
    assert con.execute(
        "SELECT count(*) FROM raw_meta.quarantine WHERE value LIKE '%Bloggs%'"
    ).fetchone() == (0,)


def test_direct_identifiers_outside_the_contract_never_enter_raw(tmp_path):
    files = {
        "ssd_person": "pers_person_id,pers_dob,Child_Forename,NHS_Number,local_flag\nP1,2015-01-02,Amy,9434765919,x\n",
        # a table outside the contract: loaded as delivered, its child pseudonymised, the address restricted
        "ssd_address": "addr_table_id,addr_person_id,addr_address_json,addr_address_postcode\nA1,P1,NULL,AB1 2CD\n",
    }
    con, report = load(tmp_path, files)
    assert loaded(report) == {"ssd_person": (1, 1, 0), "ssd_address": (1, 1, 0)}
    assert con.execute("SELECT _extras FROM raw.ssd_person").fetchall() == [('{"local_flag":"x"}',)]
    assert (
        "direct identifiers kept in the restricted schema only: Child_Forename, NHS_Number"
        in log(con, "ssd_person")[1]
    )
    assert con.execute("SELECT addr_table_id, addr_person_id FROM raw.ssd_address").fetchall() == [
        ("A1", pseudonym_of("person", "884", "P1"))
    ]
    columns = {r[0] for r in con.execute("DESCRIBE raw.ssd_address").fetchall()}
    assert not {"addr_address_json", "addr_address_postcode"} & columns
    child = pseudonym_of("person", "884", "P1")
    assert sorted(
        con.execute(
            "SELECT table_name, pseudonym, column_name, value FROM restricted.direct_identifiers"
        ).fetchall()
    ) == [
        ("ssd_address", child, "addr_address_postcode", "AB1 2CD"),
        ("ssd_person", child, "Child_Forename", "Amy"),
        ("ssd_person", child, "NHS_Number", "9434765919"),
    ]


def test_open_end_dates_spelled_as_the_largest_sql_server_dates(tmp_path):
    episodes = (
        "cine_referral_id,cine_person_id,cine_referral_date,cine_close_date\n"
        "R1,C1,2024-01-05 00:00:00.000,9999-12-31 00:00:00.000\n"  # 2: datetime's largest: open
        "R2,C2,2024-02-05,9999-12-31\n"  # 3: date's largest: open
        "R3,C3,2024-03-05,2079-06-06 00:00:00\n"  # 4: smalldatetime's largest: open
        "R4,C3,2024-03-06,2024-04-30 00:00:00.0000000\n"  # 5: datetime2: a real end
    )
    con, report = load(tmp_path, {"ssd_cin_episodes": episodes})
    assert loaded(report) == {"ssd_cin_episodes": (4, 4, 0)}
    assert con.execute(
        "SELECT cine_close_date FROM raw.ssd_cin_episodes ORDER BY source_line"
    ).fetchall() == [(None,), (None,), (None,), (datetime(2024, 4, 30),)]
    assert con.execute("SELECT column_name, note, rows FROM raw_meta.value_notes").fetchall() == [
        ("cine_close_date", "sentinel date read as no date", 3)
    ]
