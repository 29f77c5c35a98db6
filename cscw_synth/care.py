"""Looked-after children: periods of care, placements, legal status, visits, reviews, missing
episodes, IRO activity, care leavers, permanence and life story work."""

import numpy as np

from . import names
from .allocations import CLA, event_worker
from .calendar import NAT, add_days, add_months, add_wd
from .context import Ctx
from .draw import (
    blank_some,
    cat,
    cat_pick,
    dept_ids,
    flag,
    flag_of,
    ids,
    person_ids,
    pick,
    uniform_day,
    worker_ids,
)
from .events import repeat_events, review_schedule
from .journeys import CLA_COURT, PROC_OUTCOMES
from .workforce import R

DAY_S = np.timedelta64(86400, "s")


def _hours(h: np.ndarray) -> np.ndarray:
    return (np.asarray(h) * 3600).astype(np.int64).astype("timedelta64[s]")


def build(ctx: Ctx, c: dict, wf, cpos) -> dict:
    rng, r = ctx.rng["care"], ctx.rates
    t = {}
    i = np.flatnonzero(~np.isnat(c["cla_start"]))
    start, end = c["cla_start"][i], c["cla_end"][i]
    stop = np.where(np.isnat(end), ctx.end + 1, end)
    dob = c["dob"][i]
    court = c["cla_route"][i] == CLA_COURT
    pout = np.where(court, c["proc_outcome"][i], -1)
    adoption = court & (pout == PROC_OUTCOMES.index("PLACEMENT_ORDER"))
    sgo = court & (pout == PROC_OUTCOMES.index("SGO"))
    # ---- placements: change points spread through the period ----
    dur = (stop - start).astype(np.int64)
    moves = np.minimum(12, rng.poisson(r.placement_moves_per_year * dur / 365.25))
    k = moves + 1
    owner = np.repeat(np.arange(len(i)), k)
    first = np.r_[0, np.cumsum(k)[:-1]]
    frac = rng.random(len(owner))
    frac[first] = 0.0
    order = np.argsort(owner + frac * 0.999, kind="stable")
    owner, frac = owner[order], frac[order]
    pstart = add_days(start[owner], (frac * dur[owner]).astype(np.int64))
    dup = np.r_[False, (owner[1:] == owner[:-1]) & (pstart[1:] == pstart[:-1])]
    owner, pstart = owner[~dup], pstart[~dup]
    last = np.r_[owner[1:] != owner[:-1], True]
    nxt = np.r_[pstart[1:], NAT]
    pend = np.where(last, end[owner], nxt)
    n_pl = len(owner)
    ptype = pick(rng, names.PLACEMENT_WEIGHTS, n_pl)
    ptype = np.where(adoption[owner] & last, names.PLACEMENT_TYPES.index("A5"), ptype)
    old = (pstart - dob[owner]).astype(np.int64) >= 16 * 365
    ptype = np.where(old & (rng.random(n_pl) < 0.5), names.PLACEMENT_TYPES.index("H5"), ptype)
    ltf = np.isin(np.array(names.PLACEMENT_TYPES)[ptype], names.LONG_TERM_FOSTERING)
    pl_id = np.arange(n_pl)
    postcode = np.char.add(
        "ZZ99 ",
        np.char.add(
            rng.integers(1, 10, n_pl).astype(str),
            np.array(["AA", "BZ", "CX", "DY", "EW"])[rng.integers(0, 5, n_pl)],
        ),
    )
    t["ssd_cla_placement"] = {
        "clap_cla_placement_id": ids("PL", pl_id),
        "clap_cla_placement_start_date": pstart,
        "clap_cla_placement_type": cat(names.PLACEMENT_TYPES, ptype),
        "clap_cla_placement_urn": ids(
            "SC", np.where(rng.random(n_pl) < 0.6, rng.integers(1, 999_999, n_pl), -1), 6
        ),
        "clap_cla_placement_distance": np.round(np.exp(rng.normal(1.8, 0.9, n_pl)), 1),
        "clap_cla_id": ids("CLA", i[owner]),
        "clap_cla_placement_provider": cat_pick(rng, names.PLACEMENT_PROVIDERS, n_pl),
        "clap_cla_placement_postcode": postcode,
        "clap_cla_placement_end_date": pend,
        "clap_cla_placement_change_reason": cat(
            names.PLACEMENT_CHANGE_REASON, np.where(np.isnat(pend), -1, rng.integers(0, 11, n_pl))
        ),
        "clap_person_id": person_ids(c["person"][i][owner]),
    }
    # ---- episodes: one per placement ----
    reasons = names.CLA_CEASED_REASON
    final = np.select(
        [adoption, sgo, c["cla_at18"][i], court],
        [reasons.index("E11"), reasons.index("E45"), reasons.index("E17"), reasons.index("E41")],
        reasons.index("E4A"),
    )
    final = np.where(
        ~adoption & ~sgo & ~c["cla_at18"][i] & (rng.random(len(i)) < 0.3),
        reasons.index("E13"),
        final,
    )
    ceased = np.where(np.isnat(pend), -1, np.where(last, final[owner], reasons.index("X1")))
    is_first = np.r_[True, owner[1:] != owner[:-1]]
    sreason = np.where(is_first, 0, np.where(rng.random(n_pl) < 0.1, 3, 2))
    iro_contact = uniform_day(
        rng,
        np.maximum(pstart, add_days(np.where(np.isnat(pend), ctx.end, pend), -180)),
        np.where(np.isnat(pend), ctx.end, pend),
    )
    t["ssd_cla_episodes"] = {
        "clae_cla_episode_id": ids("E", pl_id),
        "clae_person_id": person_ids(c["person"][i][owner]),
        "clae_cla_episode_start_date": pstart,
        "clae_cla_episode_start_reason": cat(names.CLA_START_REASON, sreason),
        "clae_cla_primary_need_code": cat(
            names.PRIMARY_NEED, pick(rng, names.PRIMARY_NEED_WEIGHTS, len(i))[owner]
        ),
        "clae_cla_episode_ceased_date": pend,
        "clae_cla_episode_ceased_reason": cat(reasons, ceased),
        "clae_cla_id": ids("CLA", i[owner]),
        "clae_referral_id": ids("R", i[owner]),
        "clae_cla_placement_id": ids("PL", pl_id),
        "clae_entered_care_date": start[owner],
        "clae_cla_last_iro_contact_date": iro_contact,
    }
    # ---- legal status ----
    concl = c["proc_concluded"][i]
    ls_start = [
        start,
        np.where(court & ~np.isnat(concl) & (np.isnat(end) | (concl < stop)), concl, NAT),
    ]
    first_code = np.where(court, names.LEGAL_STATUS.index("C1"), names.LEGAL_STATUS.index("V2"))
    second_code = np.where(adoption, names.LEGAL_STATUS.index("E1"), names.LEGAL_STATUS.index("C2"))
    ls_end = [np.where(np.isnat(ls_start[1]), end, ls_start[1]), end]
    lo = np.concatenate([np.arange(len(i))] * 2)
    lstart, lend = np.concatenate(ls_start), np.concatenate(ls_end)
    code = np.concatenate([first_code, second_code])
    ok = ~np.isnat(lstart)
    lo, lstart, lend, code = lo[ok], lstart[ok], lend[ok], code[ok]
    t["ssd_legal_status"] = {
        "lega_legal_status_id": ids("LS", np.arange(len(lo))),
        "lega_person_id": person_ids(c["person"][i][lo]),
        "lega_legal_status": cat(names.LEGAL_STATUS, code),
        "lega_legal_status_start_date": lstart,
        "lega_legal_status_end_date": lend,
    }
    # ---- visits (per placement; long-term fostering relaxes to 3-monthly after the first year) ----
    pstop = np.where(np.isnat(pend), ctx.end + 1, pend)
    year1 = np.minimum(pstop, add_days(pstart, 365))
    late = r.cla_visit_late
    gap = lambda m: np.where(rng.random(m) < late, rng.integers(43, 61, m), rng.integers(20, 43, m))
    o1, d1 = repeat_events(
        pstart,
        year1,
        gap,
        31,
        False,
        first_gaps=lambda m: np.where(
            rng.random(m) < 0.92, rng.integers(1, 8, m), rng.integers(8, 21, m)
        ),
    )
    gap2 = lambda m: np.where(
        rng.random(m) < late, rng.integers(92, 120, m), rng.integers(50, 91, m)
    )
    long = np.flatnonzero(pstop > year1)
    o2, d2 = repeat_events(year1[long], pstop[long], gap, 31, False)
    o3, d3 = repeat_events(year1[long], pstop[long], gap2, 70, False)
    use_ltf = ltf[long]
    keep2, keep3 = ~use_ltf[o2], use_ltf[o3]
    vo = np.concatenate([o1, long[o2[keep2]], long[o3[keep3]]])
    vd = np.concatenate([d1, d2[keep2], d3[keep3]])
    order = np.lexsort((vd, vo))
    vo, vd = vo[order], vd[order]
    keep = vd >= ctx.hist_start
    vo, vd = vo[keep], vd[keep]
    m = len(vo)
    t["ssd_cla_visits"] = {
        "clav_cla_visit_id": ids("LV", np.arange(m), 8),
        "clav_cla_id": ids("CLA", i[owner][vo]),
        "clav_person_id": person_ids(c["person"][i][owner][vo]),
        "clav_cla_visit_date": vd,
        "clav_cla_visit_seen": flag(rng, 0.97, m),
        "clav_cla_visit_seen_alone": flag(rng, 0.6, m),
    }
    t.update(_reviews(ctx, c, i, start, stop))
    t.update(_missing(ctx, c, i, start, stop))
    t.update(_iro(ctx, c, i, start, stop, wf))
    t.update(_leavers_permanence(ctx, c, i, start, end, adoption, sgo, wf, cpos))
    return t


def _reviews(ctx, c, i, start, stop) -> dict:
    rng, r = ctx.rng["care"], ctx.rates

    def held(due):
        k = len(due)
        return np.where(
            rng.random(k) < r.cla_review_late,
            add_days(due, rng.integers(1, 35, k)),
            add_days(due, -rng.integers(0, 12, k)),
        )

    o, _nth, due, day = review_schedule(
        start,
        stop,
        lambda s: add_wd(s, 20),
        lambda d, n: add_months(d, 3 if n == 1 else 6),
        held,
        max_reviews=45,
    )
    m = len(o)
    canc = np.flatnonzero(rng.random(m) < r.cla_review_cancelled)
    cday = add_days(day[canc], -rng.integers(1, 14, len(canc)))
    cday = np.maximum(cday, start[o[canc]])
    ro = np.concatenate([o, o[canc]])
    rday = np.concatenate([day, cday])
    rdue = np.concatenate([due, due[canc]])
    cancelled = np.r_[np.zeros(m, np.int8), np.ones(len(canc), np.int8)]
    age = (rday - c["dob"][i][ro]).astype(np.int64) / 365.25
    part = np.where(rng.random(len(ro)) < r.cla_participation, rng.integers(1, 7, len(ro)), 7)
    part = np.where(age < 4, 0, part)
    part = np.where(cancelled == 1, -1, part)
    n_all = len(ro)
    rid = np.arange(n_all)
    out = {
        "ssd_cla_reviews": {
            "clar_cla_review_id": ids("LR", rid),
            "clar_cla_id": ids("CLA", i[ro]),
            "clar_cla_person_id": person_ids(c["person"][i][ro]),
            "clar_cla_review_due_date": rdue,
            "clar_cla_review_date": rday,
            "clar_cla_review_cancelled": cancelled,
            "clar_cla_review_participation": cat(names.PARTICIPATION, part),
        }
    }
    a = np.flatnonzero((cancelled == 0) & (rng.random(n_all) < 0.95))
    k = len(a)
    late = r.admin_late

    def wd(p, ok, bad):
        return np.where(rng.random(k) < p, rng.integers(*bad, k), rng.integers(*ok, k))

    minutes = add_wd(rday[a], wd(late, (3, 21), (21, 41)))
    sent = add_wd(rday[a], wd(late, (1, 6), (6, 13)))
    resp = add_wd(sent, wd(late, (1, 6), (6, 13)))
    past = lambda d: np.where(d <= ctx.end, d, NAT)
    out["ext_cla_review_admin"] = {
        "clrx_cla_review_id": ids("LR", rid[a]),
        "clrx_iro_consulted": flag(rng, r.iro_consulted, k),
        "clrx_minutes_distributed_date": past(minutes),
        "clrx_recommendations_sent_date": past(sent),
        "clrx_recommendations_response_date": np.where(rng.random(k) < 0.03, NAT, past(resp)),
    }
    return out


def _missing(ctx, c, i, start, stop) -> dict:
    rng, r = ctx.rng["care"], ctx.rates
    lo = np.maximum(start, ctx.hist_start)
    hi = np.minimum(stop, ctx.end + 1)
    age_hi = (hi - c["dob"][i]).astype(np.int64) / 365.25
    who = np.flatnonzero(
        (hi > lo) & (age_hi >= 11) & (rng.random(len(i)) < r.missing_child_share * 1.8)
    )
    k = 1 + rng.poisson(r.missing_episodes_mean - 1, len(who))
    o = np.repeat(who, k)
    m = len(o)
    day = uniform_day(rng, lo[o], hi[o] - 1)
    st = day.astype("datetime64[s]") + _hours(rng.uniform(0, 24, m))
    en = st + _hours(np.exp(rng.normal(np.log(10), 1.0, m)) + 0.5)
    limit = (ctx.end + 1).astype("datetime64[s]")
    en = np.where(en < limit, en, np.datetime64("NaT", "s"))
    ended = ~np.isnat(en)
    offered_ok = rng.random(m) < r.rhi_offered_72h
    not_offered = rng.random(m) < 0.04
    offered = en + _hours(np.where(offered_ok, rng.uniform(2, 71.5, m), rng.uniform(72.5, 200, m)))
    has_row = ended & ((offered < limit) | not_offered)
    accepted = rng.random(m) < 0.72
    completed = offered + _hours(rng.uniform(0.5, 48, m))
    outcome = np.where(not_offered, 2, np.where(accepted, 0, 1))
    miss_id = np.arange(m)
    out = {
        "ssd_missing": {
            "miss_table_id": ids("MI", miss_id),
            "miss_person_id": person_ids(c["person"][i][o]),
            "miss_missing_episode_start_date": st,
            "miss_missing_episode_type": cat(
                names.MISSING_TYPE, (rng.random(m) < 0.15).astype(int)
            ),
            "miss_missing_episode_end_date": en,
            "miss_missing_rhi_offered": cat(
                ("Y", "N"), np.where(has_row, not_offered.astype(int), -1)
            ),
            "miss_missing_rhi_accepted": cat(
                ("Y", "N"), np.where(has_row & ~not_offered, (~accepted).astype(int), -1)
            ),
        }
    }
    a = np.flatnonzero(has_row)
    nat_s = np.datetime64("NaT", "s")
    out["ext_return_interviews"] = {
        "rhin_id": ids("RI", a),
        "rhin_missing_id": ids("MI", a),
        "rhin_person_id": person_ids(c["person"][i][o][a]),
        "rhin_offered_datetime": np.where(not_offered[a], nat_s, offered[a]),
        "rhin_completed_datetime": np.where(
            (outcome[a] == 0) & (completed[a] < limit), completed[a], nat_s
        ),
        "rhin_outcome": cat(("COMPLETED", "REFUSED", "NOT_OFFERED"), outcome[a]),
        "rhin_placing_la": cat(names.RETURN_PLACING_LA, (rng.random(len(a)) < 0.1).astype(int)),
    }
    return out


def _iro(ctx, c, i, start, stop, wf) -> dict:
    rng, r = ctx.rng["care"], ctx.rates
    iro_pos = np.flatnonzero(wf.pos_role == R["IRO"])
    o1, d1 = repeat_events(
        start,
        stop,
        lambda m: np.where(
            rng.random(m) < 0.1, rng.integers(190, 300, m), rng.integers(70, 190, m)
        ),
        365 / r.iro_oversight_per_year,
        False,
        first_gaps=lambda m: rng.integers(20, 120, m),
    )
    keep = d1 >= ctx.hist_start
    o1, d1 = o1[keep], d1[keep]
    lo = np.maximum(start, ctx.hist_start)
    hi = np.minimum(stop, ctx.end + 1)
    years = np.maximum(0, (hi - lo).astype(np.int64)) / 365.25
    nd = rng.poisson(r.iro_dispute_per_child_year * years)
    o2 = np.repeat(np.arange(len(i)), nd)
    d2 = uniform_day(rng, lo[o2], hi[o2] - 1)
    k2 = len(o2)
    res = add_wd(
        d2,
        np.where(
            rng.random(k2) < r.iro_dispute_20wd, rng.integers(2, 21, k2), rng.integers(21, 61, k2)
        ),
    )
    res = np.where((res <= ctx.end) & (rng.random(k2) > 0.05), res, NAT)
    o = np.concatenate([o1, o2])
    d = np.concatenate([d1, d2])
    m = len(o)
    pos = iro_pos[rng.integers(0, len(iro_pos), m)] if len(iro_pos) else np.full(m, -1)
    return {
        "ext_iro_activity": {
            "iroa_id": ids("IRO", np.arange(m)),
            "iroa_person_id": person_ids(c["person"][i][o]),
            "iroa_activity_type": cat(
                ("OVERSIGHT", "DISPUTE"), np.r_[np.zeros(len(o1), int), np.ones(k2, int)]
            ),
            "iroa_date": d,
            "iroa_resolved_date": np.concatenate([np.full(len(o1), NAT), res]),
            "iroa_worker_id": worker_ids(wf.worker_at(pos, d)),
        }
    }


def _leavers_permanence(ctx, c, i, start, end, adoption, sgo, wf, cpos) -> dict:
    rng, r = ctx.rng["care"], ctx.rates
    out = {}
    dob = c["dob"][i]
    age_end = (end - dob).astype(np.int64) / 365.25
    age_now = (ctx.end - dob).astype(np.int64) / 365.25
    left_old = (
        ~np.isnat(end)
        & (age_end >= 16)
        & ((end - np.maximum(start, dob + 14 * 365)).astype(np.int64) >= 91)
    )
    cand = np.flatnonzero(left_old & (age_now >= 16) & (age_now < 22))
    persons, first = np.unique(c["person"][i][cand][::-1], return_index=True)
    cand = cand[::-1][first]
    m = len(cand)
    lc_teams = np.flatnonzero(
        (wf.pos_cap > 0) & np.isin(wf.pos_dept, ctx.area_teams("LEAVING_CARE"))
    )
    pos = lc_teams[rng.integers(0, len(lc_teams), m)] if len(lc_teams) else np.full(m, -1)
    suit = rng.random(m) < 0.88
    acc = np.where(suit, rng.integers(0, 14, m), rng.integers(14, 21, m))
    out["ssd_care_leavers"] = {
        "clea_table_id": ids("CL", np.arange(m)),
        "clea_person_id": person_ids(persons),
        "clea_care_leaver_eligibility": cat(
            names.CL_ELIGIBILITY, np.where(age_now[cand] < 18, 0, 1)
        ),
        "clea_care_leaver_in_touch": cat_pick(rng, names.CL_IN_TOUCH, m, names.CL_IN_TOUCH_WEIGHTS),
        "clea_care_leaver_latest_contact": add_days(np.full(m, ctx.end), -rng.integers(0, 120, m)),
        "clea_care_leaver_accommodation": cat(names.CL_ACCOMMODATION, acc),
        "clea_care_leaver_accom_suitable": cat(
            ("SUITABLE", "UNSUITABLE"), np.where(rng.random(m) < 0.2, -1, (~suit).astype(int))
        ),
        "clea_care_leaver_activity": cat_pick(rng, names.CL_ACTIVITY, m, names.CL_ACTIVITY_WEIGHTS),
        "clea_pathway_plan_review_date": add_days(np.full(m, ctx.end), -rng.integers(0, 200, m)),
        "clea_care_leaver_personal_advisor": ids("PA", rng.integers(1, 40, m), 3),
        "clea_care_leaver_allocated_team": dept_ids(blank_some(rng, wf.pos_dept[pos], 0.05)),
        "clea_care_leaver_worker_id": worker_ids(wf.worker_at(pos, np.full(m, ctx.end))),
    }
    # ---- permanence ----
    p = np.flatnonzero((adoption | sgo) & ~np.isnat(c["proc_concluded"][i]))
    k = len(p)
    concl = c["proc_concluded"][i][p]
    issued = c["proc_issued"][i][p]
    ad = adoption[p]
    past = lambda d: np.where(d <= ctx.end, d, NAT)
    matched = add_days(concl, rng.integers(60, 300, k))
    placed = add_days(matched, rng.integers(7, 40, k))
    reversed_ = ad & (rng.random(k) < 0.05)
    order_date = np.where(np.isnat(end[p]), NAT, end[p])
    sib = rng.random(k) < 0.4
    out["ssd_permanence"] = {
        "perm_table_id": ids("PE", p),
        "perm_person_id": person_ids(c["person"][i][p]),
        "perm_cla_id": ids("CLA", i[p]),
        "perm_adm_decision_date": np.where(ad, add_days(issued, rng.integers(60, 150, k)), NAT),
        "perm_ffa_cp_decision_date": None,
        "perm_placement_order_date": np.where(ad, concl, NAT),
        "perm_placed_for_adoption_date": np.where(ad & ~reversed_, past(placed), NAT),
        "perm_matched_date": np.where(ad & ~reversed_, past(matched), NAT),
        "perm_adopted_by_carer_flag": flag_of(rng.random(k) < 0.1, ad),
        "perm_placed_ffa_cp_date": None,
        "perm_decision_reversed_date": np.where(
            reversed_, past(add_days(concl, rng.integers(30, 200, k))), NAT
        ),
        "perm_placed_foster_carer_date": start[p],
        "perm_part_of_sibling_group": flag_of(sib),
        "perm_siblings_placed_together": np.where(sib, rng.integers(0, 3, k), np.nan).astype(float),
        "perm_siblings_placed_apart": np.where(sib, rng.integers(0, 2, k), np.nan).astype(float),
        "perm_placement_provider_urn": ids("SC", np.where(ad, rng.integers(1, 999_999, k), -1), 6),
        "perm_decision_reversed_reason": cat(
            ("Birth family", "Match disrupted"), np.where(reversed_, rng.integers(0, 2, k), -1)
        ),
        "perm_permanence_order_date": order_date,
        "perm_permanence_order_type": cat(
            names.PERMANENCE_ORDER, np.where(np.isnat(order_date), -1, np.where(ad, 0, 1))
        ),
        "perm_adoption_worker_id": worker_ids(
            np.where(ad, event_worker(wf, cpos, i[p], CLA, concl), -1)
        ),
        "perm_adopter_sex": cat(
            ("MF", "FF", "MM", "F", "M"),
            np.where(ad & ~np.isnat(order_date), rng.integers(0, 5, k), -1),
        ),
        "perm_adopter_legal_status": cat(
            ("L0", "L11", "L12", "L2"),
            np.where(ad & ~np.isnat(order_date), rng.integers(0, 4, k), -1),
        ),
        "perm_number_of_adopters": cat(
            ("1", "2"), np.where(ad & ~np.isnat(order_date), rng.integers(0, 2, k), -1)
        ),
    }
    # ---- life story work: adoption plans and young children in long-term care ----
    young = np.flatnonzero(
        ~adoption & ((start - dob).astype(np.int64) < 8 * 365) & (rng.random(len(i)) < 0.3)
    )
    req = np.concatenate(
        [np.where(ad, add_days(concl, rng.integers(0, 60, k)), NAT), add_days(start[young], 120)]
    )
    who = np.concatenate([p, young])
    ok = req <= ctx.end
    who, req = who[ok], req[ok]
    m = len(who)
    done = add_days(req, rng.integers(20, 300, m))
    done = np.where((rng.random(m) < r.life_story_completed) & (done <= ctx.end), done, NAT)
    out["ext_life_story_work"] = {
        "lswk_id": ids("LSW", np.arange(m)),
        "lswk_person_id": person_ids(c["person"][i][who]),
        "lswk_required_date": req,
        "lswk_completed_date": done,
    }
    return out
