"""Workforce tables: departments, professionals, staff, allocations, supervision, audits,
vacancies, team diagnostics; and the population."""

import numpy as np

from . import names
from .allocations import CHANGE_REASONS, Involvements
from .calendar import NAT, add_days
from .context import AREAS, Ctx
from .draw import cat, dept_ids, flag_of, ids, person_ids, pick, uniform_day, worker_ids
from .render import Cat
from .workforce import EMPLOYMENT, ROLES, SOCIAL_WORK_ROLES, TITLES, R, Workforce, month_end, months

GRADES = ("OUTSTANDING", "GOOD", "REQUIRES_IMPROVEMENT", "INADEQUATE")
AUDIT_TYPES = ("MONTHLY", "THEMATIC", "DEEP_DIVE", "MODERATED", "RE_AUDIT")
DOMAINS = (
    "ALLOCATION_WORKLOAD",
    "PRACTICE_QUALITY",
    "PERFORMANCE_SUPERVISION",
    "JOINT_WORKING",
    "OVERALL",
)
DIAG_GRADES = GRADES + ("NO_JUDGEMENT",)


def _month_expand(lo: np.ndarray, hi: np.ndarray):
    """For intervals [lo, hi] (dates), every (interval, month start) pair they touch."""
    m0 = lo.astype("datetime64[M]")
    m1 = hi.astype("datetime64[M]")
    k = np.maximum(0, (m1 - m0).astype(np.int64) + 1)
    k[hi < lo] = 0
    o = np.repeat(np.arange(len(lo)), k)
    first = np.r_[0, np.cumsum(k)[:-1]]
    step = np.arange(len(o)) - np.repeat(first, k)
    month = (m0[o] + step).astype("datetime64[D]")
    return o, month


def build(ctx: Ctx, wf: Workforce, inv: Involvements, chain_person: np.ndarray) -> dict:
    rng = ctx.rng["allocations"]
    t = {}
    n_dept = len(wf.dept_name)
    parent = wf.dept_parent
    t["ssd_department"] = {
        "dept_team_id": dept_ids(np.arange(n_dept)),
        "dept_team_name": wf.dept_name.astype(str),
        "dept_team_parent_id": dept_ids(parent),
        "dept_team_parent_name": Cat(tuple(wf.dept_name), parent),
    }
    nw = len(wf.w_pos)
    role = wf.w_role
    in_post_end = np.isnat(wf.w_end)
    open_inv = np.isnat(inv.end) & (inv.start <= ctx.end)
    caseload = np.bincount(inv.worker[open_inv], minlength=nw).astype(float)
    holds = wf.pos_cap[wf.w_pos] > 0
    fte = wf.pos_fte[wf.w_pos]
    sw_role = np.isin(role, [R[x] for x in SOCIAL_WORK_ROLES]) & (role != R["HEAD_OF_SERVICE"])
    fn = rng.integers(0, len(names.FORENAMES), nw)
    sn = rng.integers(0, len(names.SURNAMES), nw)
    t["ssd_professionals"] = {
        "prof_professional_id": worker_ids(np.arange(nw)),
        "prof_staff_id": ids("EMP", np.arange(nw), 6),
        "prof_professional_name": np.char.add(
            np.char.add(np.array(names.FORENAMES)[fn], " "), np.array(names.SURNAMES)[sn]
        ),
        "prof_social_worker_registration_no": ids(
            "SWTEST", np.where(sw_role, np.arange(nw) + 1000, -1), 6
        ),
        "prof_professional_job_title": cat(TITLES, role),
        "prof_professional_caseload": np.where(holds & in_post_end, caseload, np.nan),
        "prof_professional_department": Cat(tuple(wf.dept_name), wf.w_dept),
        "prof_full_time_equivalency": fte,
        "prof_agency_worker_flag": flag_of(wf.w_employment == 1),
    }
    t["ext_staff"] = {
        "staf_id": ids("ST", np.arange(nw), 6),
        "staf_professional_id": worker_ids(np.arange(nw)),
        "staf_team_id": dept_ids(wf.w_dept),
        "staf_role": cat(ROLES, role),
        "staf_employment": cat(EMPLOYMENT, wf.w_employment),
        "staf_operational": flag_of(role != R["BUSINESS_SUPPORT"]),
        "staf_case_holding": flag_of(holds),
        "staf_fte": fte,
        "staf_start_date": wf.w_start,
        "staf_end_date": wf.w_end,
        "staf_leaving_reason": cat(names.LEAVING_REASON, wf.w_leaving),
    }
    keep = np.isnat(inv.end) | (inv.end > inv.start)
    m = int(keep.sum())
    t["ssd_involvements"] = {
        "invo_involvements_id": ids("INV", np.arange(m), 8),
        "invo_professional_id": worker_ids(inv.worker[keep]),
        "invo_professional_role_id": cat(
            ("ALLOCATED_WORKER", "KEY_WORKER"),
            (role[inv.worker[keep]] == R["ADVANCED_PRACTITIONER"]).astype(int),
        ),
        "invo_professional_team": dept_ids(inv.team[keep]),
        "invo_involvement_start_date": inv.start[keep],
        "invo_involvement_end_date": inv.end[keep],
        "invo_worker_change_reason": cat(CHANGE_REASONS, inv.reason[keep]),
        "invo_person_id": person_ids(chain_person[inv.chain[keep]]),
        "invo_referral_id": ids("R", inv.chain[keep]),
    }
    t["ext_supervisions"] = _supervisions(ctx, wf, inv, chain_person)
    t["ext_case_audits"] = _audits(ctx, wf, inv, chain_person)
    t["ext_vacancies"] = _vacancies(ctx, wf)
    t["ext_team_diagnostics"] = _diagnostics(ctx, wf)
    years = np.arange(int(str(ctx.start)[:4]), int(str(ctx.end)[:4]) + 1)
    growth = 1 + 0.004 * (years - years[0]) + rng.normal(0, 0.002, len(years))
    t["ext_population"] = {
        "popu_year": years.astype(float),
        "popu_children_0_17": np.round(ctx.children * growth).astype(float),
    }
    return t


def _supervisor(ctx, wf: Workforce, worker: np.ndarray, day: np.ndarray) -> np.ndarray:
    mgr = wf.team_manager()
    dept = wf.pos_dept[wf.w_pos[worker]]
    sup = wf.worker_at(mgr[dept], day)
    area = np.where(
        dept < wf.n_teams, ctx.team_area[np.minimum(dept, wf.n_teams - 1)], dept - wf.n_teams
    )
    head = np.array([wf.area_head[a] for a in range(len(AREAS))])
    alt = wf.worker_at(head[area], day)
    return np.where((sup == worker) | (sup < 0), np.where(alt == worker, -1, alt), sup)


def _supervisions(ctx, wf: Workforce, inv: Involvements, chain_person) -> dict:
    rng, r = ctx.rng["allocations"], ctx.rates
    # personal supervision: each worker in each month in post
    lo = np.maximum(wf.w_start, ctx.start)
    hi = np.where(np.isnat(wf.w_end), ctx.end, np.minimum(wf.w_end, ctx.end))
    o, month = _month_expand(lo, hi)
    dept = wf.w_dept[o]
    tz = ctx.team_z[np.minimum(dept, wf.n_teams - 1)]
    nq = wf.w_role[o] == R["NQSW"]
    p = np.clip(r.supervision_monthly + 0.07 * tz + 0.08 * nq, 0.05, 0.99)
    ok = rng.random(len(o)) < p
    o, month = o[ok], month[ok]
    d1 = uniform_day(rng, np.maximum(month, lo[o]), np.minimum(month_end(month), hi[o]))
    # case supervision: each allocation in each month it covers
    ilo = np.maximum(inv.start, ctx.start)
    ihi = np.where(np.isnat(inv.end), ctx.end, np.minimum(inv.end - 1, ctx.end))
    io, imonth = _month_expand(ilo, ihi)
    tz = ctx.team_z[inv.team[io]]
    ok = rng.random(len(io)) < np.clip(r.case_supervision_monthly + 0.08 * tz, 0.05, 0.99)
    io, imonth = io[ok], imonth[ok]
    d2 = uniform_day(rng, np.maximum(imonth, ilo[io]), np.minimum(month_end(imonth), ihi[io]))
    w2 = inv.worker[io]
    # group supervision: a team meeting most months
    teams = np.arange(wf.n_teams)
    ms = months(ctx)
    gt = np.repeat(teams, len(ms))
    gm = np.tile(ms, len(teams))
    ok = rng.random(len(gt)) < 0.5
    gt, gm = gt[ok], gm[ok]
    d3 = uniform_day(rng, gm, np.minimum(month_end(gm), ctx.end))
    tm = wf.team_manager()[gt]
    w3 = wf.worker_at(tm, d3)
    ok = w3 >= 0
    d3, w3 = d3[ok], w3[ok]
    supervisee = np.concatenate([o, w2, w3])
    day = np.concatenate([d1, d2, d3])
    kind = np.r_[np.zeros(len(o), int), np.ones(len(w2), int), np.full(len(w3), 2)]
    person = np.r_[np.full(len(o), -1), chain_person[inv.chain[io]], np.full(len(w3), -1)]
    order = np.argsort(day, kind="stable")
    supervisee, day, kind, person = supervisee[order], day[order], kind[order], person[order]
    sup = _supervisor(ctx, wf, supervisee, day)
    n = len(day)
    return {
        "supv_id": ids("SV", np.arange(n), 8),
        "supv_supervisee_id": worker_ids(supervisee),
        "supv_supervisor_id": worker_ids(sup),
        "supv_date": day,
        "supv_type": cat(("PERSONAL", "CASE", "GROUP"), kind),
        "supv_person_id": person_ids(person),
    }


def _audits(ctx, wf, inv: Involvements, chain_person) -> dict:
    rng, r = ctx.rng["allocations"], ctx.rates
    lo = np.maximum(inv.start, ctx.start)
    hi = np.where(np.isnat(inv.end), ctx.end, np.minimum(inv.end - 1, ctx.end))
    days = np.maximum(0, (hi - lo).astype(np.int64) + 1).astype(float)
    n_case_teams = len(np.unique(inv.team)) if len(inv.team) else 0
    n_months = len(months(ctx))
    k = rng.poisson(r.audits_per_team_month * n_case_teams * n_months) if days.sum() > 0 else 0
    pick_i = (
        np.searchsorted(np.cumsum(days) / days.sum(), rng.random(k), side="right").clip(
            0, len(days) - 1
        )
        if k
        else np.zeros(0, int)
    )
    day = uniform_day(rng, lo[pick_i], hi[pick_i])
    team = inv.team[pick_i]
    z = ctx.team_z[team]
    good = np.clip(r.audit_good_or_better + 0.08 * z, 0.05, 0.9)
    inad = np.clip(r.audit_inadequate - 0.04 * z, 0.01, 0.5)
    u = rng.random(k)
    grade = np.where(u < good * 0.12, 0, np.where(u < good, 1, np.where(u < 1 - inad, 2, 3)))
    atype = pick(rng, (0.70, 0.10, 0.05, 0.08, 0.07), k)
    has_actions = (grade >= 2) | (rng.random(k) < 0.3)
    due = np.where(has_actions, add_days(day, 28), NAT)
    on_time = rng.random(k) > r.audit_action_overdue
    done = np.where(
        on_time,
        add_days(day, rng.integers(5, 29, k)),
        np.where(rng.random(k) < 0.5, add_days(due, rng.integers(1, 60, k)), NAT),
    )
    done = np.where(has_actions & (done <= ctx.end), done, NAT)
    return {
        "audi_id": ids("AU", np.arange(k)),
        "audi_person_id": person_ids(chain_person[inv.chain[pick_i]]),
        "audi_team_id": dept_ids(team),
        "audi_worker_id": worker_ids(inv.worker[pick_i]),
        "audi_date": day,
        "audi_type": cat(AUDIT_TYPES, np.where(rng.random(k) < 0.03, -1, atype)),
        "audi_grade": cat(GRADES, grade),
        "audi_actions_due_date": due,
        "audi_actions_completed_date": done,
    }


def _vacancies(ctx, wf: Workforce) -> dict:
    rng = ctx.rng["allocations"]
    ms = months(ctx)
    teams = np.arange(wf.n_teams)
    sw = np.flatnonzero(
        (wf.pos_dept < wf.n_teams) & np.isin(wf.pos_role, [R[x] for x in SOCIAL_WORK_ROLES])
    )
    pp = np.repeat(sw, len(ms))
    pm = np.tile(ms, len(sw))
    w = wf.worker_at(pp, pm)
    agency = (w >= 0) & (wf.w_employment[np.maximum(w, 0)] == 1)
    fte = np.where(agency, wf.pos_fte[pp], 0.0)
    mi = np.tile(np.arange(len(ms)), len(sw))
    key = wf.pos_dept[pp] * len(ms) + mi
    vac = np.bincount(key, weights=fte, minlength=wf.n_teams * len(ms))
    vac = vac + rng.choice([0.0, 0.0, 0.0, 0.5, 1.0], len(vac))
    n = len(vac)
    return {
        "vaca_id": ids("VA", np.arange(n)),
        "vaca_team_id": dept_ids(np.repeat(teams, len(ms))),
        "vaca_month": np.tile(ms, wf.n_teams),
        "vaca_vacant_fte": vac,
    }


def _diagnostics(ctx, wf: Workforce) -> dict:
    rng = ctx.rng["allocations"]
    teams = np.flatnonzero(
        np.isin(ctx.team_area, [i for i, a in enumerate(AREAS) if a[2] or a[0] == "MASH"])
    )
    first_year = ctx.start.astype("datetime64[Y]")
    years = np.arange(first_year, ctx.end.astype("datetime64[Y]") + 1)
    vt = np.repeat(teams, len(years))
    vy = np.tile(years, len(teams)).astype("datetime64[D]")
    vd = uniform_day(
        rng,
        np.maximum(vy, ctx.start),
        np.minimum((vy.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1, ctx.end),
    )
    dt = np.repeat(vt, len(DOMAINS))
    dd = np.repeat(vd, len(DOMAINS))
    dom = np.tile(np.arange(len(DOMAINS)), len(vt))
    score = ctx.team_z[dt] + rng.normal(0, 0.7, len(dt))
    grade = np.select([score > 1.3, score > 0.1, score > -1.1], [0, 1, 2], 3)
    grade = np.where(rng.random(len(dt)) < 0.03, 4, grade)
    n = len(dt)
    return {
        "tdia_id": ids("TD", np.arange(n)),
        "tdia_team_id": dept_ids(dt),
        "tdia_visit_date": dd,
        "tdia_domain": cat(DOMAINS, dom),
        "tdia_grade": cat(DIAG_GRADES, grade),
    }
