"""Referral, assessment, S47, child protection and child-in-need tables from the chains."""

import numpy as np

from . import names
from .allocations import CIN, A, event_worker
from .calendar import NAT, add_days, add_months, add_wd
from .draw import (
    blank_dates,
    blank_some,
    cat,
    cat_pick,
    dept_ids,
    flag,
    flag_of,
    ids,
    person_ids,
    pick,
    worker_ids,
)
from .events import repeat_events, review_schedule
from .journeys import CIN as ROUTE_CIN
from .journeys import DIRECT_CLA, NFA, PROC_OUTCOMES, S47, S47_NFA
from .render import Cat

REF = "R"


def _team(ctx, teams):
    return dept_ids(blank_some(ctx.rng["children"], teams, ctx.rates.team_missing_on_event))


def _late(rng, p_late, n, ok, late):
    return np.where(rng.random(n) < p_late, rng.integers(*late, n), rng.integers(*ok, n))


def build(ctx, c: dict, wf, cpos) -> dict:
    rng, r = ctx.rng["children"], ctx.rates
    n = len(c["ref"])
    end_open = ctx.end + 1
    t = {}
    chain = np.arange(n)
    # ---- referrals (CIN episodes) ----
    src = pick(rng, names.CONTACT_SOURCE_WEIGHTS, n)
    codes, descs = zip(*names.CONTACT_SOURCES)
    closed = ~np.isnat(c["close"])
    t["ssd_cin_episodes"] = {
        "cine_referral_id": ids(REF, chain),
        "cine_person_id": person_ids(c["person"]),
        "cine_referral_date": c["ref"],
        "cine_cin_primary_need_code": cat_pick(
            rng, names.PRIMARY_NEED, n, names.PRIMARY_NEED_WEIGHTS
        ),
        "cine_referral_source_code": cat(codes, src),
        "cine_referral_source_desc": cat(descs, src),
        "cine_referral_outcome_json": cat(
            ('{"outcome":"ASSESSMENT"}', '{"outcome":"NFA"}'), c["ref_nfa"].astype(int)
        ),
        "cine_referral_nfa": flag_of(c["ref_nfa"]),
        "cine_close_reason": cat(names.CLOSE_REASONS, np.where(closed, c["close_reason"], -1)),
        "cine_close_date": c["close"],
        "cine_referral_team": _team(ctx, c["ass_team"]),
        "cine_referral_worker_id": worker_ids(event_worker(wf, cpos, chain, A, c["ref"])),
    }
    # ---- assessments ----
    i = np.flatnonzero(~np.isnat(c["a_start"]))
    done = ~np.isnat(c["a_auth"][i])
    route = c["route"][i]
    nxt = np.select(
        [route == NFA, route == ROUTE_CIN, route == S47, route == DIRECT_CLA], [0, 1, 2, 3], 0
    )
    t["ssd_cin_assessments"] = {
        "cina_assessment_id": ids("A", i),
        "cina_person_id": person_ids(c["person"][i]),
        "cina_referral_id": ids(REF, i),
        "cina_assessment_start_date": c["a_start"][i],
        "cina_assessment_child_seen": flag(rng, 0.96, len(i)),
        "cina_assessment_auth_date": c["a_auth"][i],
        "cina_assessment_outcome_json": cat(
            (
                '{"next_step":"NFA"}',
                '{"next_step":"CIN_PLAN"}',
                '{"next_step":"STRATEGY_DISCUSSION"}',
                '{"next_step":"LOOKED_AFTER"}',
            ),
            np.where(done, nxt, -1),
        ),
        "cina_assessment_outcome_nfa": flag_of(route == NFA, done),
        "cina_assessment_team": _team(ctx, c["ass_team"][i]),
        "cina_assessment_worker_id": worker_ids(event_worker(wf, cpos, i, A, c["a_start"][i])),
    }
    # ---- strategy discussions and S47 ----
    i = np.flatnonzero(~np.isnat(c["strat_concern"]))
    t["ext_strategy_discussions"] = {
        "strd_id": ids("SD", i),
        "strd_person_id": person_ids(c["person"][i]),
        "strd_referral_id": ids(REF, i),
        "strd_concern_date": c["strat_concern"][i],
        "strd_discussion_date": c["strat_disc"][i],
        "strd_s47_initiated": flag_of(~np.isnat(c["s47_start"][i]), ~np.isnat(c["strat_disc"][i])),
        "strd_team_id": _team(ctx, c["ass_team"][i]),
    }
    i = np.flatnonzero(~np.isnat(c["s47_start"]))
    ended = ~np.isnat(c["s47_end"][i])
    out = c["s47_outcome"][i]
    t["ssd_s47_enquiry"] = {
        "s47e_s47_enquiry_id": ids("S", i),
        "s47e_referral_id": ids(REF, i),
        "s47e_person_id": person_ids(c["person"][i]),
        "s47e_s47_start_date": c["s47_start"][i],
        "s47e_s47_end_date": c["s47_end"][i],
        "s47e_s47_nfa": flag_of(out == S47_NFA, ended),
        "s47e_s47_outcome_json": cat(
            ('{"outcome":"NFA"}', '{"outcome":"CIN_PLAN"}', '{"outcome":"ICPC"}'),
            np.where(ended, out - 1, -1),
        ),
        "s47e_s47_completed_by_worker_id": worker_ids(
            np.where(ended, event_worker(wf, cpos, i, A, c["s47_start"][i]), -1)
        ),
        "s47e_s47_completed_by_team": _team(ctx, np.where(ended, c["ass_team"][i], -1)),
    }
    # ---- ICPC and CP plans ----
    i = np.flatnonzero(~np.isnat(c["icpc"]))
    has_s47 = ~np.isnat(c["s47_start"][i])
    cp = c["icpc_cp"][i] & ~np.isnat(c["cp_start"][i])
    t["ssd_initial_cp_conference"] = {
        "icpc_icpc_id": ids("IC", i),
        "icpc_icpc_meeting_id": ids("M", i),
        "icpc_s47_enquiry_id": ids("S", np.where(has_s47, i, -1)),
        "icpc_person_id": person_ids(c["person"][i]),
        "icpc_cp_plan_id": ids("CP", np.where(cp, i, -1)),
        "icpc_referral_id": ids(REF, i),
        "icpc_icpc_transfer_in": flag_of(c["transfer_in"][i]),
        "icpc_icpc_target_date": c["icpc_target"][i],
        "icpc_icpc_date": c["icpc"][i],
        "icpc_icpc_outcome_cp_flag": flag_of(c["icpc_cp"][i]),
        "icpc_icpc_outcome_json": cat(
            ('{"outcome":"NO_PLAN"}', '{"outcome":"CP_PLAN"}'), c["icpc_cp"][i].astype(int)
        ),
        "icpc_icpc_team": _team(ctx, c["cp_team"][i]),
        "icpc_icpc_worker_id": worker_ids(event_worker(wf, cpos, i, A, c["icpc"][i])),
    }
    i = np.flatnonzero(~np.isnat(c["cp_start"]))
    cat0 = pick(rng, names.CP_CATEGORY_WEIGHTS, len(i))
    latest = np.where(rng.random(len(i)) < 0.1, pick(rng, names.CP_CATEGORY_WEIGHTS, len(i)), cat0)
    t["ssd_cp_plans"] = {
        "cppl_cp_plan_id": ids("CP", i),
        "cppl_referral_id": ids(REF, i),
        "cppl_icpc_id": ids("IC", i),
        "cppl_person_id": person_ids(c["person"][i]),
        "cppl_cp_plan_start_date": c["cp_start"][i],
        "cppl_cp_plan_end_date": c["cp_end"][i],
        "cppl_cp_plan_initial_category": cat(names.CP_CATEGORY, cat0),
        "cppl_cp_plan_ola": flag(rng, 0.01, len(i)),
        "cppl_cp_plan_latest_category": cat(names.CP_CATEGORY, latest),
    }
    cp_stop = np.where(np.isnat(c["cp_end"][i]), end_open, c["cp_end"][i])
    late = r.cp_visit_late
    o, day = repeat_events(
        c["cp_start"][i], cp_stop, lambda m: _late(rng, late, m, (3, 11), (11, 19)), 7, True
    )
    keep = day >= ctx.hist_start
    o, day = o[keep], day[keep]
    m = len(o)
    t["ssd_cp_visits"] = {
        "cppv_cp_visit_id": ids("CV", np.arange(m), 8),
        "cppv_person_id": person_ids(c["person"][i][o]),
        "cppv_cp_plan_id": ids("CP", i[o]),
        "cppv_cp_visit_date": day,
        "cppv_cp_visit_seen": flag(rng, 0.95, m),
        "cppv_cp_visit_seen_alone": flag(rng, 0.7, m),
        "cppv_cp_visit_bedroom": flag(rng, 0.45, m),
    }
    p_late = r.cp_review_late

    def held(due, p=p_late):
        k = len(due)
        return np.where(
            rng.random(k) < p,
            add_days(due, rng.integers(1, 40, k)),
            add_days(due, -rng.integers(0, 15, k)),
        )

    o, _nth, due, day = review_schedule(
        c["cp_start"][i], cp_stop, lambda s: add_months(s, 3), lambda d, _: add_months(d, 6), held
    )
    m = len(o)
    t["ssd_cp_reviews"] = {
        "cppr_cp_review_id": ids("CR", np.arange(m)),
        "cppr_person_id": person_ids(c["person"][i][o]),
        "cppr_cp_plan_id": ids("CP", i[o]),
        "cppr_cp_review_due": due,
        "cppr_cp_review_date": day,
        "cppr_cp_review_meeting_id": ids("RM", np.arange(m)),
        "cppr_cp_review_outcome_continue_cp": flag_of(
            np.isnat(c["cp_end"][i][o]) | (add_days(day, 30) < cp_stop[o])
        ),
        "cppr_cp_review_quorate": flag(rng, 0.95, m),
        "cppr_cp_review_participation": flag(rng, 0.7, m),
    }
    cg_late = r.core_group_late
    o, day = repeat_events(
        c["cp_start"][i],
        cp_stop,
        lambda m: _late(rng, cg_late, m, (10, 21), (21, 31)),
        15,
        True,
        first_gaps=lambda m: _late(rng, cg_late, m, (3, 11), (11, 21)),
    )
    keep = day >= ctx.hist_start
    o, day = o[keep], day[keep]
    m = len(o)
    dist = add_wd(day, _late(rng, r.core_group_record_late, m, (1, 6), (6, 16)))
    t["ext_core_groups"] = {
        "cogr_id": ids("CG", np.arange(m)),
        "cogr_person_id": person_ids(c["person"][i][o]),
        "cogr_cp_plan_id": ids("CP", i[o]),
        "cogr_meeting_date": day,
        "cogr_record_distributed_date": blank_dates(
            rng, np.where(dist <= ctx.end, dist, NAT), 0.03
        ),
    }
    # ---- CIN plans ----
    i = np.flatnonzero(~np.isnat(c["cin_start"]))
    t["ssd_cin_plans"] = {
        "cinp_cin_plan_id": ids("CN", i),
        "cinp_referral_id": ids(REF, i),
        "cinp_person_id": person_ids(c["person"][i]),
        "cinp_cin_plan_start_date": c["cin_start"][i],
        "cinp_cin_plan_end_date": c["cin_end"][i],
        "cinp_cin_plan_team": _team(ctx, c["cin_team"][i]),
        "cinp_cin_plan_worker_id": worker_ids(event_worker(wf, cpos, i, CIN, c["cin_start"][i])),
    }
    cin_stop = np.where(np.isnat(c["cin_end"][i]), end_open, c["cin_end"][i])
    lv = r.cin_visit_late
    o, day = repeat_events(
        c["cin_start"][i], cin_stop, lambda m: _late(rng, lv, m, (8, 21), (21, 36)), 14, True
    )
    keep = day >= ctx.hist_start
    o, day = o[keep], day[keep]
    m = len(o)
    t["ssd_cin_visits"] = {
        "cinv_cin_visit_id": ids("NV", np.arange(m), 8),
        "cinv_person_id": person_ids(c["person"][i][o]),
        "cinv_cin_plan_id": ids("CN", i[o]),
        "cinv_cin_visit_date": day,
        "cinv_cin_visit_seen": flag(rng, 0.94, m),
        "cinv_cin_visit_seen_alone": flag(rng, 0.6, m),
        "cinv_cin_visit_bedroom": flag(rng, 0.3, m),
    }
    o, _nth, due, day = review_schedule(
        c["cin_start"][i],
        cin_stop,
        lambda s: add_months(s, 3),
        lambda d, _: add_months(d, 3),
        lambda d: held(d, r.cin_review_late),
    )
    m = len(o)
    dist = add_wd(day, rng.integers(1, 12, m))
    t["ext_cin_reviews"] = {
        "cinr_id": ids("NR", np.arange(m)),
        "cinr_person_id": person_ids(c["person"][i][o]),
        "cinr_cin_plan_id": ids("CN", i[o]),
        "cinr_review_date": day,
        "cinr_record_distributed_date": blank_dates(
            rng, np.where(dist <= ctx.end, dist, NAT), 0.05
        ),
    }
    t.update(_court(ctx, c))
    return t


def _court(ctx, c) -> dict:
    rng = ctx.rng["children"]
    t = {}
    i = np.flatnonzero(~np.isnat(c["prep_decision"]))
    m = len(i)
    concl = c["prep_concluded"][i]
    done = ~np.isnat(concl)
    issue = c["prep_issue"][i] & done
    outcome = np.where(~done, 2, np.where(issue, 1, 0))
    meet = c["prep_meeting"][i]
    t["ssd_pre_proceedings"] = {
        "prep_table_id": ids("PP", i),
        "prep_person_id": person_ids(c["person"][i]),
        "prep_plo_family_id": ids("PLO", i),
        "prep_pre_pro_decision_date": c["prep_decision"][i],
        "prep_initial_pre_pro_meeting_date": meet,
        "prep_pre_pro_outcome": cat(names.PLO_OUTCOME, outcome),
        "prep_agree_stepdown_issue_date": concl,
        "prep_cp_plans_referral_period": np.ones(m),
        "prep_legal_gateway_outcome": cat(names.LEGAL_GATEWAY, np.zeros(m, int)),
        "prep_prev_pre_proc_child": (rng.random(m) < 0.15).astype(float),
        "prep_prev_care_proc_child": (rng.random(m) < 0.1).astype(float),
        "prep_pre_pro_letter_date": add_days(meet, -rng.integers(5, 11, m)),
        "prep_care_pro_letter_date": np.where(issue, add_days(concl, -7), NAT),
        "prep_pre_pro_meetings_num": np.where(np.isnat(meet), np.nan, rng.integers(1, 4, m)).astype(
            float
        ),
        "prep_pre_pro_parents_legal_rep": flag(rng, 0.9, m),
        "prep_parents_legal_rep_point_of_issue": flag_of(issue & (rng.random(m) < 0.95), issue),
        "prep_court_reference": ids("ZZ", np.where(issue, i, -1), 8),
        "prep_care_proc_court_hearings": np.where(issue, rng.integers(1, 8, m), np.nan).astype(
            float
        ),
        "prep_care_proc_short_notice": flag_of(rng.random(m) < 0.05, issue),
        "prep_proc_short_notice_reason": None,
        "prep_la_inital_plan_approved": flag_of(np.ones(m, bool), issue),
        "prep_la_initial_care_plan": cat(
            ("Remain at home", "Kinship care", "Foster care", "Adoption"),
            np.where(issue, rng.integers(0, 4, m), -1),
        ),
        "prep_la_final_plan_approved": flag_of(np.ones(m, bool), issue),
        "prep_la_final_care_plan": None,
    }
    i = np.flatnonzero(~np.isnat(c["proc_issued"]))
    done = ~np.isnat(c["proc_concluded"][i])
    t["ext_care_proceedings"] = {
        "crtp_id": ids("CRT", i),
        "crtp_person_id": person_ids(c["person"][i]),
        "crtp_issued_date": c["proc_issued"][i],
        "crtp_concluded_date": c["proc_concluded"][i],
        "crtp_outcome": Cat(PROC_OUTCOMES, np.where(done, c["proc_outcome"][i], -1)),
    }
    return t
