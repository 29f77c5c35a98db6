"""The skeleton of every child's journey: one row per referral (a 'chain'), with the dates of each
stage it went through. Vectorised per generation of re-referrals.

Dates here are nominal (they may fall after the extract date); `finalise` turns them into what
the extract can know: stages not started by the extract date do not exist, stages not ended are
open (NaT).
"""

from dataclasses import dataclass

import numpy as np

from .calendar import NAT, add_days, add_wd
from .context import Ctx

# routes after a referral
NFA, CIN, S47, DIRECT_CLA = 0, 1, 2, 3
# S47 outcomes
S47_NONE, S47_NFA, S47_CIN, S47_ICPC = 0, 1, 2, 3
# CP plan endings
CP_CLOSE, CP_STEPDOWN, CP_PRE_PROC, CP_S20 = 0, 1, 2, 3
# care proceedings outcomes (index into the contract's code list)
PROC_OUTCOMES = (
    "REUNIFIED",
    "SGO",
    "CARE_ORDER",
    "PLACEMENT_ORDER",
    "SUPERVISION_ORDER",
    "WITHDRAWN",
    "OTHER",
)
PROC_WEIGHTS = (0.13, 0.20, 0.34, 0.15, 0.08, 0.03, 0.07)
# CLA routes
CLA_S20, CLA_COURT = 0, 1
DAY_S = np.timedelta64(86400, "s")


def _pick(rng, weights, n) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(w) / w.sum(), rng.random(n), side="right").clip(0, len(w) - 1)


def _later(a, b):
    """Element-wise max of two date arrays, ignoring NaT on either side."""
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))


def _earlier(a, b):
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.minimum(a, b)))


def _age_days(rng, n) -> np.ndarray:
    bands = np.array([[0, 1], [1, 5], [5, 10], [10, 16], [16, 18]])
    band = _pick(rng, (0.11, 0.21, 0.25, 0.32, 0.11), n)
    years = rng.uniform(bands[band, 0], bands[band, 1])
    return (years * 365.25).astype(np.int64)


@dataclass
class People:
    """Every child the simulation knows (index = person number)."""

    dob: np.ndarray

    def add(self, dob: np.ndarray) -> np.ndarray:
        first = len(self.dob)
        self.dob = np.concatenate([self.dob, dob.astype("datetime64[D]")])
        return np.arange(first, first + len(dob))


def _simulate(ctx: Ctx, person: np.ndarray, contact_day: np.ndarray, dob: np.ndarray) -> dict:
    rng, r = ctx.rng["journeys"], ctx.rates
    n = len(person)
    s = {"person": person}
    # front door: MASH contact, decision within 24 h for most
    recv = contact_day.astype("datetime64[s]") + (rng.uniform(7.5, 18.5, n) * 3600).astype(
        "timedelta64[s]"
    )
    lag = np.where(
        rng.random(n) < r.mash_decided_24h, rng.uniform(0.3, 23.8, n), rng.uniform(24.2, 90, n)
    )
    dec = recv + (lag * 3600).astype("timedelta64[s]")
    s["received"], s["decided"] = recv, dec
    ref = dec.astype("datetime64[D]")
    s["ref"] = ref
    s["ass_team"] = ctx.choose_team(rng, "ASSESSMENT", n)
    s["ref_nfa"] = rng.random(n) < r.referral_nfa
    assessed = ~s["ref_nfa"]
    # assessment
    a_start = add_wd(ref, rng.integers(0, 3, n))
    timely = rng.random(n) < ctx.team_p(r.assessment_45wd, s["ass_team"])
    dur = np.where(
        timely, 4 + np.round(41 * rng.beta(2.2, 1.4, n)), 46 + np.round(rng.exponential(14, n))
    )
    a_auth = add_wd(a_start, dur.astype(np.int64))
    s["a_start"] = np.where(assessed, a_start, NAT)
    s["a_auth"] = np.where(assessed, a_auth, NAT)
    # route
    p_cin, p_s47, p_cla = r.cin_plan_after_assessment, r.s47_route, r.direct_cla
    route = _pick(rng, (1 - p_cin - p_s47 - p_cla, p_cin, p_s47, p_cla), n)
    route[~assessed] = NFA
    transfer = (route == S47) & (rng.random(n) < r.transfer_in_icpc)
    s["transfer_in"] = transfer
    s47_route = (route == S47) & ~transfer
    s["cp_team"] = ctx.choose_team(rng, "CP_COURT", n)
    # strategy discussion and S47
    concern = add_wd(a_start, rng.integers(0, 5, n))
    disc = add_wd(
        concern,
        np.where(
            rng.random(n) < ctx.team_p(r.strategy_1wd, s["ass_team"]),
            rng.integers(0, 2, n),
            rng.integers(2, 7, n),
        ),
    )
    s["strat_concern"] = np.where(s47_route, concern, NAT)
    s["strat_disc"] = np.where(s47_route & (rng.random(n) > 0.02), disc, NAT)
    initiated = s47_route & (rng.random(n) < r.s47_initiated)
    s["s47_initiated"] = initiated
    # strategy discussions without an S47 carry on as assessments
    route[s47_route & ~initiated] = np.where(
        rng.random(int((s47_route & ~initiated).sum())) < 0.5, CIN, NFA
    )
    s47_start = disc
    s47_len = np.where(
        rng.random(n) < ctx.team_p(r.s47_15wd, s["ass_team"]),
        rng.integers(3, 16, n),
        rng.integers(16, 36, n),
    )
    s47_end = add_wd(s47_start, s47_len)
    out = _pick(rng, (r.s47_nfa, 1 - r.s47_nfa - r.s47_to_icpc, r.s47_to_icpc), n) + 1
    out[~initiated] = S47_NONE
    icpc_wd = np.where(
        rng.random(n) < ctx.team_p(r.icpc_15wd, s["cp_team"], 0.07),
        rng.integers(5, 16, n),
        rng.integers(16, 31, n),
    )
    icpc = np.where(transfer, add_wd(ref, rng.integers(3, 16, n)), add_wd(s47_start, icpc_wd))
    has_icpc = (out == S47_ICPC) | transfer
    s47_end = np.where(out == S47_ICPC, np.minimum(s47_end, icpc), s47_end)
    s["s47_start"] = np.where(initiated, s47_start, NAT)
    s["s47_end"] = np.where(initiated, s47_end, NAT)
    s["s47_outcome"] = out
    s["icpc"] = np.where(has_icpc, icpc, NAT)
    s["icpc_target"] = np.where(has_icpc & ~transfer, add_wd(s47_start, 15), NAT)
    cp = has_icpc & (rng.random(n) < r.icpc_cp_plan)
    s["icpc_cp"] = cp
    # child protection plan
    cp_days = np.exp(rng.normal(np.log(r.cp_median_days), r.cp_sigma, n)).astype(np.int64) + 14
    cp_start = icpc
    cp_end = add_days(cp_start, cp_days)
    ending = _pick(
        rng,
        (
            1 - r.cp_to_cin_stepdown - r.cp_to_pre_proceedings - r.cp_to_s20,
            r.cp_to_cin_stepdown,
            r.cp_to_pre_proceedings,
            r.cp_to_s20,
        ),
        n,
    )
    prep = cp & (ending == CP_PRE_PROC)
    prep_dec = add_days(cp_start, (cp_days * rng.uniform(0.2, 0.8, n)).astype(np.int64))
    prep_meet = add_days(prep_dec, rng.integers(5, 21, n))
    issue = prep & (rng.random(n) < r.pre_proceedings_issue)
    prep_days = np.where(
        rng.random(n) < r.pre_proceedings_12w, rng.integers(28, 85, n), rng.integers(85, 200, n)
    )
    prep_concl = add_days(prep_dec, prep_days)
    s["prep"], s["prep_issue"] = prep, issue
    s["prep_decision"] = np.where(prep, prep_dec, NAT)
    s["prep_meeting"] = np.where(prep, prep_meet, NAT)
    s["prep_concluded"] = np.where(prep, prep_concl, NAT)
    # direct entries to care may also go to court
    direct = route == DIRECT_CLA
    direct_start = add_days(ref, rng.integers(0, 30, n))
    direct_court = direct & (rng.random(n) < 0.3)
    proc = issue | direct_court
    issued = np.where(issue, prep_concl, add_days(direct_start, rng.integers(14, 120, n)))
    weeks = np.where(rng.random(n) < 0.3, rng.uniform(10, 26, n), rng.uniform(26.2, 70, n))
    concluded = add_days(issued, (weeks * 7).astype(np.int64))
    proc_out = _pick(rng, PROC_WEIGHTS, n)
    s["proc"] = proc
    s["proc_issued"] = np.where(proc, issued, NAT)
    s["proc_concluded"] = np.where(proc, concluded, NAT)
    s["proc_outcome"] = proc_out
    cp_end = np.where(issue, prep_concl, cp_end)
    s["cp_start"] = np.where(cp, cp_start, NAT)
    s["cp_end"] = np.where(cp, cp_end, NAT)
    s["cp_ending"] = ending
    # looked after
    cla_from_cp = cp & (issue | (ending == CP_S20))
    cla = cla_from_cp | direct
    cla_start = np.where(direct, direct_start, cp_end)
    court = proc
    short = rng.random(n) < r.cla_short_share
    s20_days = np.where(
        short, rng.exponential(r.cla_short_mean_days, n), rng.exponential(r.cla_long_mean_days, n)
    )
    pname = np.array(PROC_OUTCOMES)[proc_out]
    care_order_end = add_days(
        cla_start, rng.exponential(r.care_order_mean_days, n).astype(np.int64)
    )
    adopted = add_days(concluded, rng.integers(150, 560, n))
    court_end = np.where(
        pname == "CARE_ORDER",
        care_order_end,
        np.where(pname == "PLACEMENT_ORDER", adopted, concluded),
    )
    cla_end = np.where(court, court_end, add_days(cla_start, s20_days.astype(np.int64) + 1))
    eighteen = add_days(dob, 6574)  # 18 years
    at18 = cla_end >= eighteen
    cla_end = np.where(at18, eighteen, cla_end)
    cla = cla & (cla_start < eighteen)
    s["cla"] = cla
    s["cla_route"] = np.where(court, CLA_COURT, CLA_S20)
    s["cla_start"] = np.where(cla, cla_start, NAT)
    s["cla_end"] = np.where(cla, np.maximum(cla_end, cla_start + 1), NAT)
    s["cla_at18"] = at18
    s["cla_team"] = np.where(
        (cla_start - dob).astype(np.int64) >= 16 * 365,
        ctx.choose_team(rng, "LEAVING_CARE", n),
        ctx.choose_team(rng, "CLA", n),
    )
    # child in need plan
    cin_start = np.full(n, NAT)
    cin_start = np.where(route == CIN, a_auth, cin_start)
    cin_start = np.where(out == S47_CIN, s47_end, cin_start)
    cin_start = np.where(has_icpc & ~cp, icpc, cin_start)
    stepdown = cp & ~cla_from_cp & ((ending == CP_STEPDOWN) | (prep & ~issue))
    cin_start = np.where(stepdown, cp_end, cin_start)
    has_cin = ~np.isnat(cin_start)
    cin_days = np.exp(rng.normal(np.log(r.cin_median_days), 0.6, n)).astype(np.int64) + 20
    s["cin_start"] = cin_start
    s["cin_end"] = np.where(has_cin, add_days(cin_start, cin_days), NAT)
    disabled = rng.random(n) < 0.1
    s["cin_team"] = np.where(
        disabled, ctx.choose_team(rng, "DISABLED", n), ctx.choose_team(rng, "CIN", n)
    )
    # closure: after the last stage
    last = ref + rng.integers(0, 6, n).astype("timedelta64[D]")
    for col in ("a_auth", "s47_end", "icpc", "cp_end", "cin_end", "cla_end"):
        last = _later(last, s[col])
    close = add_days(last, np.where(has_cin | cp | cla, 0, rng.integers(0, 10, n)))
    s["close"] = close
    reason = np.full(n, 6)  # RC7 services ceased
    reason[~has_cin & ~cp & ~cla] = np.where(
        rng.random(int((~has_cin & ~cp & ~cla).sum())) < 0.3, 8, 7
    )
    reason[cla & (pname == "PLACEMENT_ORDER") & court] = 0
    reason[cla & (pname == "SGO") & court] = 3
    reason[cla & at18] = 5
    s["close_reason"] = reason
    s["route"] = route
    s["age_days"] = (ref - dob).astype(np.int64)
    return s


def build_chains(ctx: Ctx, people: People) -> dict:
    """All referral chains of the authority, re-referrals included, before the window filter."""
    rng, r = ctx.rng["journeys"], ctx.rates
    span = int((ctx.end - ctx.sim_start).astype(np.int64))
    per_year = r.referrals_per_10k * ctx.children / 10_000
    n_base = rng.poisson(
        per_year
        * r.referral_calibration
        * span
        / 365.25
        * (1 - r.rereferral_within_12m - r.rereferral_later)
    )
    day = ctx.sim_start + np.sort(rng.integers(0, span + 1, n_base)).astype("timedelta64[D]")
    age = _age_days(rng, n_base)
    person = people.add(day - age.astype("timedelta64[D]"))
    batches = []
    for gen in range(r.max_generations):
        if len(person) == 0:
            break
        sim = _simulate(ctx, person, day, people.dob[person])
        sim["gen"] = np.full(len(person), gen)
        batches.append(sim)
        close = sim["close"]
        u = rng.random(len(person))
        # a re-referral within 12 months of the previous referral where the episode allows it
        soon = np.maximum(
            close + 5, add_days(sim["ref"], (rng.random(len(person)) * 355 + 10).astype(np.int64))
        )
        nxt = np.where(
            u < r.rereferral_within_12m, soon, add_days(close, rng.integers(370, 1800, len(person)))
        )
        keep = (u < r.rereferral_within_12m + r.rereferral_later) & (nxt <= ctx.end)
        keep &= (nxt - people.dob[person]).astype(np.int64) < 6574 - 30
        person, day = person[keep], nxt[keep]
    chains = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
    # window filter: keep chains still open a year before the window, or later
    keep = (chains["ref"] <= ctx.end) & (chains["close"] >= ctx.hist_start)
    chains = {k: v[keep] for k, v in chains.items()}
    order = np.argsort(chains["received"], kind="stable")
    return {k: v[order] for k, v in chains.items()}


def finalise(ctx: Ctx, chains: dict) -> dict:
    """What the extract knows at the extract date: future stages removed, unfinished ones open."""
    end = ctx.end
    c = dict(chains)
    dec_ok = c["decided"] <= (end + 1).astype("datetime64[s]") - np.timedelta64(1, "s")
    c["decided"] = np.where(dec_ok, c["decided"], np.datetime64("NaT", "s"))
    for start, stop in (
        ("a_start", "a_auth"),
        ("s47_start", "s47_end"),
        ("cp_start", "cp_end"),
        ("cin_start", "cin_end"),
        ("cla_start", "cla_end"),
        ("prep_decision", "prep_concluded"),
        ("proc_issued", "proc_concluded"),
        ("ref", "close"),
    ):
        begun = c[start] <= end
        c[start] = np.where(begun, c[start], NAT)
        c[stop] = np.where(begun & (c[stop] <= end), c[stop], NAT)
    for col in ("strat_concern", "strat_disc", "icpc", "icpc_target", "prep_meeting"):
        c[col] = np.where(c[col] <= end, c[col], NAT)
    c["strat_disc"] = np.where(np.isnat(c["strat_concern"]), NAT, c["strat_disc"])
    c["icpc_target"] = np.where(np.isnat(c["icpc"]), NAT, c["icpc_target"])
    c["prep_meeting"] = np.where(np.isnat(c["prep_decision"]), NAT, c["prep_meeting"])
    return c
