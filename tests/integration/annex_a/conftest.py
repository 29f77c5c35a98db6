"""Annex A on a small hand-made warehouse: the conformed tables the lists read (created from the
conformed layer's contracted columns, so a renamed column fails here too), a few children with
hand-written facts, the restricted key map, and `dbt run` of the Annex A views only (no
pipeline run: a dozen views over these tables, about 15 s). Expected rows are worked out by hand
in test_annex_a.py."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.lib.settings import DBT_PROJECT_DIR, REPO_ROOT

LA = "884"
DATA_DATE = "2024-03-31"

# Children: c1 (girl, CP plan), c2 (boy, looked after, adoption), c3 (looked after, second period,
# UASC), c4 (care leaver); c9 is another authority's child whose contact must not appear.
PERSONS = [
    # la, child_key, sex, ethnicity, date_of_birth, has_disability, was_uasc, uasc_ceased_date
    (LA, "c1", "F", "WBRI", "2015-06-10", False, None, None),
    (LA, "c2", "M", "APKN", "2010-01-20", True, None, None),
    (LA, "c3", "U", None, "2008-11-05", False, True, None),
    (LA, "c4", "M", "OOTH", "2005-02-01", False, False, None),
    ("885", "c9", "F", "WBRI", "2016-01-01", False, None, None),
]

ROWS = {
    "dim_authority": [
        {"la_code": LA, "as_at_date": DATA_DATE},
        {"la_code": "885", "as_at_date": DATA_DATE},
    ],
    "dim_team": [
        {
            "la_code": LA,
            "team_id": "T1",
            "team_name": "Locality 1 Duty Team",
            "service_area_id": "SA1",
        },
        {
            "la_code": LA,
            "team_id": "T2",
            "team_name": "Children in Care Team",
            "service_area_id": "SA2",
        },
    ],
    "fct_allocations": [
        {
            "la_code": LA,
            "allocation_key": "a1",
            "child_key": "c1",
            "worker_key": "w1",
            "team_id": "T1",
            "start_date": "2023-01-01",
            "end_date": None,
        },
        {
            "la_code": LA,
            "allocation_key": "a2",
            "child_key": "c3",
            "worker_key": "w2",
            "team_id": "T2",
            "start_date": "2022-01-01",
            "end_date": None,
        },
        # ended before the data date: c4 is unallocated at it
        {
            "la_code": LA,
            "allocation_key": "a3",
            "child_key": "c4",
            "worker_key": "w2",
            "team_id": "T2",
            "start_date": "2021-01-01",
            "end_date": "2024-01-01",
        },
    ],
    "fct_contacts": [
        {
            "la_code": LA,
            "contact_key": "k1",
            "child_key": "c1",
            "contact_datetime": "2024-02-01 09:30:00",
            "contact_source_code": "6",
        },
        {
            "la_code": LA,
            "contact_key": "k2",
            "child_key": "c2",
            "contact_datetime": "2023-06-01 10:00:00",
            "contact_source_code": "2A",
        },
        {
            "la_code": "885",
            "contact_key": "k9",
            "child_key": "c9",
            "contact_datetime": "2024-02-01 09:30:00",
            "contact_source_code": "6",
        },
    ],
    "fct_early_help_episodes": [
        {
            "la_code": LA,
            "early_help_episode_key": "e1",
            "child_key": "c1",
            "start_date": "2023-11-01",
            "end_date": "2024-01-15",
            "organisation": "Family Hub North",
        },
        {
            "la_code": LA,
            "early_help_episode_key": "e2",
            "child_key": "c2",
            "start_date": "2023-01-01",
            "end_date": "2023-03-01",
            "organisation": None,
        },
    ],
    "fct_referrals": [
        {
            "la_code": LA,
            "referral_key": "r0",
            "child_key": "c1",
            "referral_date": "2022-12-01",
            "close_date": "2023-03-01",
            "is_referral_nfa": False,
            "primary_need_code": "N1",
            "referral_source_code": "2A",
        },
        {
            "la_code": LA,
            "referral_key": "r1",
            "child_key": "c1",
            "referral_date": "2023-05-01",
            "close_date": "2023-05-01",
            "is_referral_nfa": True,
            "referral_source_code": "1A",
        },
        {
            "la_code": LA,
            "referral_key": "r2",
            "child_key": "c1",
            "referral_date": "2024-02-05",
            "close_date": None,
            "is_referral_nfa": False,
            "primary_need_code": "N1",
            "referral_source_code": "6",
        },
        {
            "la_code": LA,
            "referral_key": "r3",
            "child_key": "c3",
            "referral_date": "2022-04-01",
            "close_date": None,
            "is_referral_nfa": False,
            "primary_need_code": "N1",
            "referral_source_code": "5A",
        },
    ],
    "fct_assessments": [
        {
            "la_code": LA,
            "assessment_key": "as1",
            "child_key": "c1",
            "assessment_start_date": "2024-02-06",
            "assessment_auth_date": "2024-03-01",
            "is_child_seen": True,
            "is_outcome_nfa": False,
        },
    ],
    "fct_s47_enquiries": [
        {
            "la_code": LA,
            "s47_enquiry_key": "s0",
            "child_key": "c1",
            "s47_start_date": "2023-08-01",
            "s47_end_date": "2023-08-10",
        },
        {
            "la_code": LA,
            "s47_enquiry_key": "s1",
            "child_key": "c1",
            "s47_start_date": "2024-02-10",
            "s47_end_date": "2024-02-20",
        },
    ],
    "fct_icpcs": [
        {
            "la_code": LA,
            "icpc_key": "i1",
            "child_key": "c1",
            "s47_enquiry_key": "s1",
            "icpc_date": "2024-02-28",
            "is_outcome_cp_plan": True,
        },
    ],
    "fct_cp_plans": [
        {
            "la_code": LA,
            "cp_plan_key": "p0",
            "child_key": "c1",
            "plan_start_date": "2020-01-01",
            "plan_end_date": "2020-12-01",
            "initial_category": "NEGLECT",
            "latest_category": "NEGLECT",
            "earlier_plan_count": 0,
        },
        {
            "la_code": LA,
            "cp_plan_key": "p1",
            "child_key": "c1",
            "plan_start_date": "2024-02-28",
            "plan_end_date": None,
            "initial_category": "NEGLECT",
            "latest_category": "EMOTIONAL_ABUSE",
            "earlier_plan_count": 1,
        },
    ],
    "fct_visits": [
        # before the plan started: not the plan's statutory visit
        {
            "la_code": LA,
            "visit_key": "v0",
            "visit_type": "cp",
            "child_key": "c1",
            "visit_date": "2024-02-20",
            "is_child_seen": True,
            "is_child_seen_alone": True,
        },
        {
            "la_code": LA,
            "visit_key": "v1",
            "visit_type": "cp",
            "child_key": "c1",
            "visit_date": "2024-03-05",
            "is_child_seen": True,
            "is_child_seen_alone": True,
        },
        {
            "la_code": LA,
            "visit_key": "v2",
            "visit_type": "cp",
            "child_key": "c1",
            "visit_date": "2024-03-20",
            "is_child_seen": True,
            "is_child_seen_alone": False,
        },
        # child not seen: not a statutory visit
        {
            "la_code": LA,
            "visit_key": "v3",
            "visit_type": "cp",
            "child_key": "c1",
            "visit_date": "2024-03-25",
            "is_child_seen": False,
            "is_child_seen_alone": None,
        },
        {
            "la_code": LA,
            "visit_key": "v4",
            "visit_type": "cla",
            "child_key": "c3",
            "period_of_care_key": "pc2",
            "visit_date": "2024-03-10",
            "is_child_seen": True,
            "is_child_seen_alone": True,
        },
    ],
    "fct_child_status_intervals": [
        {
            "la_code": LA,
            "child_key": "c1",
            "status": "cin_episode",
            "record_key": "r2",
            "start_date": "2024-02-05",
        },
        {
            "la_code": LA,
            "child_key": "c1",
            "status": "cp_plan",
            "record_key": "p1",
            "start_date": "2024-02-28",
        },
        {
            "la_code": LA,
            "child_key": "c3",
            "status": "cin_episode",
            "record_key": "r3",
            "start_date": "2022-04-01",
        },
        {
            "la_code": LA,
            "child_key": "c3",
            "status": "cla_episode",
            "record_key": "e-c3-2",
            "start_date": "2024-01-10",
        },
        {
            "la_code": LA,
            "child_key": "c2",
            "status": "cla_episode",
            "record_key": "e-c2",
            "start_date": "2023-01-01",
        },
    ],
    "fct_legal_statuses": [
        {
            "la_code": LA,
            "legal_status_key": "l1",
            "child_key": "c1",
            "legal_status_code": "L2",
            "start_date": "2024-02-20",
            "end_date": "2024-02-28",
        },
        {
            "la_code": LA,
            "legal_status_key": "l2",
            "child_key": "c3",
            "legal_status_code": "V2",
            "start_date": "2024-01-10",
            "end_date": "2024-02-15",
        },
        {
            "la_code": LA,
            "legal_status_key": "l3",
            "child_key": "c3",
            "legal_status_code": "C2",
            "start_date": "2024-02-15",
            "end_date": None,
        },
        {
            "la_code": LA,
            "legal_status_key": "l4",
            "child_key": "c2",
            "legal_status_code": "C2",
            "start_date": "2023-01-01",
            "end_date": "2023-11-01",
        },
        {
            "la_code": LA,
            "legal_status_key": "l5",
            "child_key": "c2",
            "legal_status_code": "E1",
            "start_date": "2023-11-01",
            "end_date": None,
        },
    ],
    "fct_periods_of_care": [
        {
            "la_code": LA,
            "period_of_care_key": "pc1",
            "child_key": "c3",
            "start_date": "2022-05-01",
            "end_date": "2023-06-30",
            "ceased_reason": "E13",
        },
        {
            "la_code": LA,
            "period_of_care_key": "pc2",
            "child_key": "c3",
            "start_date": "2024-01-10",
            "end_date": None,
        },
        {
            "la_code": LA,
            "period_of_care_key": "pc3",
            "child_key": "c2",
            "start_date": "2023-01-01",
            "end_date": None,
        },
    ],
    "fct_cla_episodes": [
        {
            "la_code": LA,
            "cla_episode_key": "e-c3-1",
            "period_of_care_key": "pc1",
            "child_key": "c3",
            "episode_start_date": "2022-05-01",
            "primary_need_code": "N2",
        },
        {
            "la_code": LA,
            "cla_episode_key": "e-c3-2",
            "period_of_care_key": "pc2",
            "child_key": "c3",
            "episode_start_date": "2024-01-10",
            "primary_need_code": "N1",
            "last_iro_contact_date": "2024-03-01",
        },
        {
            "la_code": LA,
            "cla_episode_key": "e-c2",
            "period_of_care_key": "pc3",
            "child_key": "c2",
            "episode_start_date": "2023-01-01",
            "primary_need_code": "N1",
        },
    ],
    "fct_cla_reviews": [
        {
            "la_code": LA,
            "cla_review_key": "cr1",
            "period_of_care_key": "pc2",
            "child_key": "c3",
            "review_date": "2024-02-05",
        },
    ],
    "fct_placements": [
        {
            "la_code": LA,
            "placement_key": "pl1",
            "period_of_care_key": "pc2",
            "child_key": "c3",
            "placement_start_date": "2024-01-10",
            "placement_end_date": "2024-02-15",
            "placement_type": "U6",
            "placement_provider": "PR1",
        },
        {
            "la_code": LA,
            "placement_key": "pl2",
            "period_of_care_key": "pc2",
            "child_key": "c3",
            "placement_start_date": "2024-02-15",
            "placement_end_date": None,
            "placement_type": "K2",
            "placement_provider": "PR4",
        },
        {
            "la_code": LA,
            "placement_key": "pl3",
            "period_of_care_key": "pc3",
            "child_key": "c2",
            "placement_start_date": "2023-01-01",
            "placement_end_date": "2024-02-01",
            "placement_type": "U6",
            "placement_provider": "PR1",
        },
        {
            "la_code": LA,
            "placement_key": "pl4",
            "period_of_care_key": "pc3",
            "child_key": "c2",
            "placement_start_date": "2024-02-01",
            "placement_end_date": None,
            "placement_type": "U5",
            "placement_provider": "PR1",
        },
    ],
    "fct_missing_episodes": [
        {
            "la_code": LA,
            "missing_episode_key": "m1",
            "child_key": "c3",
            "missing_type": "M",
            "missing_start_datetime": "2024-03-01 22:00:00",
            "return_interview_count": 1,
        },
        {
            "la_code": LA,
            "missing_episode_key": "m2",
            "child_key": "c3",
            "missing_type": "A",
            "missing_start_datetime": "2024-01-20 18:00:00",
            "return_interview_count": 0,
        },
        # more than 12 months before the data date: not counted
        {
            "la_code": LA,
            "missing_episode_key": "m3",
            "child_key": "c3",
            "missing_type": "M",
            "missing_start_datetime": "2022-01-01 18:00:00",
            "return_interview_count": 0,
        },
    ],
    "fct_care_leavers": [
        {
            "la_code": LA,
            "care_leaver_key": "cl1",
            "child_key": "c4",
            "personal_adviser_key": "pa1",
            "counted_from": "2023-02-01",
            "counted_until": None,
            "eligibility": "Former relevant",
            "in_touch_code": "YES",
            "accommodation_code": "U1",
            "is_suitably_accommodated": True,
            "activity_code": "F2",
            "latest_contact_date": "2024-03-15",
            "pathway_plan_review_date": "2024-01-10",
        },
    ],
    "fct_adoption": [
        {
            "la_code": LA,
            "adoption_key": "ad1",
            "child_key": "c2",
            "period_of_care_key": "pc3",
            "decision_date": "2023-09-01",
            "matched_date": "2024-01-05",
            "placed_for_adoption_date": "2024-02-01",
        },
    ],
}

KEY_MAP = [(LA, "person", f"c{i}", f"CMS-000{i}") for i in range(1, 5)] + [
    (LA, "professional", "w1", "STAFF-17"),
    (LA, "professional", "w2", "STAFF-23"),
    ("885", "person", "c9", "CMS-0009"),
    (LA, "personal_adviser", "pa1", "Grace Hopper"),
]
# w2 has no name delivered: the writer falls back to the case-management id.
NAMES = [
    (LA, "ssd_professionals", "professional", "w1", "prof_professional_name", "Ada Lovelace", 2)
]


def _contracted_columns() -> dict[str, list[tuple[str, str]]]:
    columns = {}
    for path in (DBT_PROJECT_DIR / "models" / "conformed").glob("*.yml"):
        for model in yaml.safe_load(path.read_text())["models"]:
            columns[model["name"]] = [(c["name"], c["data_type"]) for c in model["columns"]]
    return columns


def build_warehouse(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        for schema in ("conformed", "intermediate", "reference", "restricted"):
            con.execute(f"CREATE SCHEMA {schema}")
        contracted = _contracted_columns()
        tables = dict(ROWS)
        tables["dim_child"] = [
            {
                "la_code": la,
                "child_key": key,
                "sex": sex,
                "ethnicity": eth,
                "month_of_birth": dob[:8] + "01",
                "has_disability": dis,
                "was_uasc": uasc,
                "uasc_ceased_date": ceased,
            }
            for la, key, sex, eth, dob, dis, uasc, ceased in PERSONS
        ]
        for name, cols in contracted.items():
            con.execute(f"CREATE TABLE conformed.{name} ({', '.join(f'{c} {t}' for c, t in cols)})")
        for name, rows in tables.items():
            for row in rows:
                con.execute(
                    f"INSERT INTO conformed.{name} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
        con.execute(
            "CREATE TABLE intermediate.int_persons__sources (la_code VARCHAR, child_key VARCHAR, date_of_birth DATE)"
        )
        con.executemany(
            "INSERT INTO intermediate.int_persons__sources VALUES (?, ?, ?)",
            [(p[0], p[1], p[4]) for p in PERSONS],
        )
        for seed in ("code_lists", "annex_a_codes"):
            con.execute(
                f"CREATE TABLE reference.{seed} AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
                [str(REPO_ROOT / "seeds" / f"{seed}.csv")],
            )
        from orchestration.lib.ingest.restricted import ensure_restricted

        ensure_restricted(con)
        con.executemany("INSERT INTO restricted.key_map VALUES (?, ?, ?, ?)", KEY_MAP)
        con.executemany(
            "INSERT INTO restricted.direct_identifiers VALUES (?, ?, ?, ?, ?, ?, ?)", NAMES
        )
    finally:
        con.close()
    env = {
        **os.environ,
        "CSCW_WAREHOUSE": str(path),
        "DBT_TARGET_PATH": str(path.parent / "dbt_target"),
        "DBT_LOG_PATH": str(path.parent / "dbt_logs"),
    }
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [
            str(dbt),
            "run",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--select",
            "path:models/restricted_outputs",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def annex_a_warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("annex_a") / "warehouse.duckdb"
    try:
        build_warehouse(path)
    except subprocess.CalledProcessError as e:
        pytest.fail(f"dbt run of the Annex A views failed:\n{e.stdout[-4000:]}")
    return path
