"""Contacts and MASH / Early Help Hub decisions, early help episodes and exploitation work."""

import numpy as np

from . import names
from .calendar import NAT, add_days, add_wd
from .context import Ctx
from .draw import blank_some, cat, dept_ids, ids, person_ids, pick, uniform_day, worker_ids
from .events import repeat_events
from .journeys import People
from .workforce import R

DECISIONS = ("REFERRAL", "EARLY_HELP", "ADVICE", "NFA")
NAT_S = np.datetime64("NaT", "s")


def _hours(h):
    return (np.asarray(h) * 3600).astype(np.int64).astype("timedelta64[s]")


def build(ctx: Ctx, c: dict, people: People, wf) -> dict:
    rng, r = ctx.rng["frontdoor"], ctx.rates
    # contacts are kept from a year before the window (older referrals keep no contact)
    in_window = (c["ref"] >= ctx.hist_start) & (c["ref"] <= ctx.end)
    n_ref = int(in_window.sum())
    n_mash = rng.poisson(n_ref * (1 / r.mash_conversion - 1))
    n_ehh = rng.poisson(n_ref * r.ehh_contacts_per_referral)
    n = n_mash + n_ehh
    # who: children already known, or children known only to the front door
    known = rng.random(n) < r.recontact_known_child
    pool = max(1, int(0.6 * (~known).sum()))
    pool_dob = add_days(
        uniform_day(rng, np.full(pool, ctx.hist_start), np.full(pool, ctx.end)),
        -(rng.uniform(0, 17.9, pool) * 365.25).astype(np.int64),
    )
    pool_ids = people.add(pool_dob)
    person = np.where(
        known,
        c["person"][rng.integers(0, max(1, len(c["person"])), n)] if len(c["person"]) else 0,
        pool_ids[rng.integers(0, pool, n)],
    )
    day = uniform_day(rng, np.full(n, ctx.hist_start), np.full(n, ctx.end))
    dob = people.dob[person]
    day = np.maximum(day, dob)
    ehh = np.arange(n) >= n_mash
    recv = day.astype("datetime64[s]") + _hours(rng.uniform(7, 19, n))
    lag = np.where(
        ehh,
        np.where(
            rng.random(n) < r.ehh_decided_72h, rng.uniform(1, 71.5, n), rng.uniform(72.5, 200, n)
        ),
        np.where(
            rng.random(n) < r.mash_decided_24h, rng.uniform(0.3, 23.8, n), rng.uniform(24.2, 96, n)
        ),
    )
    dec = recv + _hours(lag)
    limit = (ctx.end + 1).astype("datetime64[s]")
    dec = np.where(dec < limit, dec, NAT_S)
    decision = np.where(ehh, pick(rng, (0.6, 0.25, 0.15), n), pick(rng, (0.25, 0.35, 0.40), n)) + 1
    # all contacts: the referral contacts of the chains, then the others
    rc = np.flatnonzero(in_window)
    m = len(rc)
    all_person = np.concatenate([c["person"][rc], person])
    all_recv = np.concatenate([c["received"][rc], recv])
    all_dec = np.concatenate([c["decided"][rc], dec])
    all_decision = np.concatenate([np.zeros(m, int), np.where(np.isnat(dec), -1, decision)])
    all_ehh = np.concatenate([np.zeros(m, bool), ehh])
    cid = np.arange(m + n)
    src = pick(rng, names.CONTACT_SOURCE_WEIGHTS, m + n)
    codes, descs = zip(*names.CONTACT_SOURCES)
    mash_teams = ctx.area_teams("MASH")
    t = {
        "ssd_contacts": {
            "cont_contact_id": ids("C", cid, 8),
            "cont_person_id": person_ids(all_person),
            "cont_contact_date": all_recv,
            "cont_contact_source_code": cat(codes, src),
            "cont_contact_source_desc": cat(descs, src),
            "cont_contact_outcome_json": cat(
                tuple(f'{{"decision":"{d}"}}' for d in DECISIONS), all_decision
            ),
        },
        "ext_contact_decisions": {
            "cond_contact_id": ids("C", cid, 8),
            "cond_received_datetime": all_recv,
            "cond_decision_datetime": all_dec,
            "cond_pathway": cat(("MASH", "EHH"), all_ehh.astype(int)),
            "cond_decision": cat(DECISIONS, all_decision),
            "cond_team_id": dept_ids(
                blank_some(
                    rng,
                    mash_teams[rng.integers(0, len(mash_teams), m + n)],
                    r.team_missing_on_event,
                )
            ),
        },
    }
    # ---- early help episodes ----
    e = np.flatnonzero(all_decision == 1)
    k = len(e)
    st = add_days(all_dec[e].astype("datetime64[D]"), rng.integers(0, 15, k))
    ok = st <= ctx.end
    e, st = e[ok], st[ok]
    k = len(e)
    en = add_days(st, np.exp(rng.normal(np.log(r.early_help_median_days), 0.5, k)).astype(np.int64))
    en = np.where(en <= ctx.end, en, NAT)
    fsw = np.flatnonzero(wf.pos_role == R["FAMILY_SUPPORT_WORKER"])
    pos = fsw[rng.integers(0, len(fsw), k)] if len(fsw) else np.full(k, -1)
    t["ssd_early_help_episodes"] = {
        "earl_episode_id": ids("EH", np.arange(k)),
        "earl_person_id": person_ids(all_person[e]),
        "earl_episode_start_date": st,
        "earl_episode_end_date": en,
        "earl_episode_reason": cat(names.EH_REASON, rng.integers(0, len(names.EH_REASON), k)),
        "earl_episode_end_reason": cat(
            names.EH_END_REASON, np.where(np.isnat(en), -1, rng.integers(0, 4, k))
        ),
        "earl_episode_organisation": cat(
            names.EH_ORGANISATION, rng.integers(0, len(names.EH_ORGANISATION), k)
        ),
        "earl_episode_worker_id": worker_ids(blank_some(rng, wf.worker_at(pos, st), 0.3)),
    }
    t["ext_exploitation"] = _exploitation(ctx, c)
    return t


def _exploitation(ctx: Ctx, c: dict) -> dict:
    rng, r = ctx.rng["frontdoor"], ctx.rates
    cand = np.flatnonzero(
        (c["age_days"] >= 3650) & (c["ref"] >= ctx.hist_start) & (c["route"] != 0)
    )
    cand = cand[rng.random(len(cand)) < r.exploitation_share]
    k = len(cand)
    st = add_days(c["ref"][cand], rng.integers(0, 60, k))
    ok = st <= ctx.end
    cand, st = cand[ok], st[ok]
    k = len(cand)
    level = pick(rng, (0.3, 0.45, 0.25), k)  # SIGNIFICANT, MODERATE, LOW
    done = add_wd(
        st,
        np.where(
            rng.random(k) < r.exploitation_ra_5wd, rng.integers(1, 6, k), rng.integers(6, 21, k)
        ),
    )
    done = np.where((done <= ctx.end) & (rng.random(k) > 0.04), done, NAT)
    # risk management meetings for significant and moderate risk
    w = np.flatnonzero(level < 2)
    first = add_days(st[w], rng.integers(3, 15, len(w)))
    stop = np.minimum(add_days(st[w], rng.integers(90, 400, len(w))), ctx.end + 1)
    sig = level[w] == 0
    tm = r.rmm_timely

    def gaps(m):
        u = rng.random(m) < tm
        return np.where(u, rng.integers(10, 29, m), rng.integers(29, 46, m))

    def gaps_mod(m):
        u = rng.random(m) < tm
        return np.where(u, rng.integers(30, 85, m), rng.integers(85, 121, m))

    o1, d1 = repeat_events(first[sig], stop[sig], gaps, 20, False, first_gaps=lambda m: np.zeros(m))
    o2, d2 = repeat_events(
        first[~sig], stop[~sig], gaps_mod, 60, False, first_gaps=lambda m: np.zeros(m)
    )
    mo = np.concatenate([w[sig][o1], w[~sig][o2]])
    md = np.concatenate([d1, d2])
    km = len(mo)
    dist = add_wd(
        md,
        np.where(
            rng.random(km) < r.safety_plan_5wd, rng.integers(0, 6, km), rng.integers(6, 13, km)
        ),
    )
    dist = np.where((dist <= ctx.end) & (rng.random(km) > 0.03), dist, NAT)
    who = np.concatenate([cand, cand[mo]])
    lv = np.concatenate(
        [level, np.where(rng.random(km) < 0.9, level[mo], np.minimum(2, level[mo] + 1))]
    )
    return {
        "expl_id": ids("EX", np.arange(k + km)),
        "expl_person_id": person_ids(c["person"][who]),
        "expl_record_type": cat(
            ("RISK_ASSESSMENT", "RISK_MANAGEMENT_MEETING"),
            np.r_[np.zeros(k, int), np.ones(km, int)],
        ),
        "expl_risk_level": cat(("SIGNIFICANT", "MODERATE", "LOW"), lv),
        "expl_start_date": np.concatenate([st, md]),
        "expl_completed_date": np.concatenate([done, md]),
        "expl_safety_plan_distributed_date": np.concatenate([np.full(k, NAT), dist]),
    }
