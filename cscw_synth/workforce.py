"""The workforce: departments, positions in teams, and the succession of workers in each position.

A *position* is a post in a team (a social worker post, the team manager post, ...). Each position
is held by a succession of workers (permanent, agency or fixed-term) from before the window to
the extract date, so that staff join and leave mid-month and allocations change hands.
"""

from dataclasses import dataclass

import numpy as np

from .calendar import NAT
from .context import AREA_INDEX, AREAS, Ctx

ROLES = (
    "SOCIAL_WORKER",
    "NQSW",
    "ADVANCED_PRACTITIONER",
    "MANAGING_PRACTITIONER",
    "TEAM_MANAGER",
    "SERVICE_MANAGER",
    "HEAD_OF_SERVICE",
    "IRO",
    "FAMILY_SUPPORT_WORKER",
    "BUSINESS_SUPPORT",
    "OTHER",
)
R = {name: i for i, name in enumerate(ROLES)}
TITLES = (
    "Social Worker",
    "Newly Qualified Social Worker",
    "Advanced Practitioner",
    "Managing Practitioner",
    "Team Manager",
    "Service Manager",
    "Head of Service",
    "Independent Reviewing Officer",
    "Family Support Worker",
    "Business Support Officer",
    "Other",
)
EMPLOYMENT = ("PERMANENT", "AGENCY", "FIXED_TERM")
SOCIAL_WORK_ROLES = (
    "SOCIAL_WORKER",
    "NQSW",
    "ADVANCED_PRACTITIONER",
    "MANAGING_PRACTITIONER",
    "TEAM_MANAGER",
    "SERVICE_MANAGER",
    "HEAD_OF_SERVICE",
    "IRO",
)
CAPACITY = {"SOCIAL_WORKER": 1.0, "ADVANCED_PRACTITIONER": 0.7, "MANAGING_PRACTITIONER": 0.5}
TEAM_WORDS = {
    "MASH": "MASH Team",
    "ASSESSMENT": "Assessment Team",
    "CIN": "Children in Need Team",
    "CP_COURT": "Child Protection and Court Team",
    "CLA": "Children Looked After Team",
    "LEAVING_CARE": "16+ Team",
    "DISABLED": "Disabled Children's Team",
    "IRO": "IRO Team",
    "BUSINESS_SUPPORT": "Business Support Team",
}


@dataclass
class Workforce:
    n_teams: int
    dept_name: np.ndarray  # name of every department row: teams first, then service areas
    dept_parent: np.ndarray  # parent row index (-1 none)
    # positions
    pos_dept: np.ndarray
    pos_role: np.ndarray
    pos_fte: np.ndarray
    pos_cap: np.ndarray  # share of a full caseload (0 = holds no cases)
    # workers (sorted by position, then start)
    w_pos: np.ndarray
    w_start: np.ndarray
    w_end: np.ndarray  # last day in post (NaT = in post at the extract date)
    w_employment: np.ndarray
    w_leaving: np.ndarray  # index of leaving reason (-1 none)
    area_head: dict  # area index -> position index of its service manager

    @property
    def w_role(self) -> np.ndarray:
        return self.pos_role[self.w_pos]

    @property
    def w_dept(self) -> np.ndarray:
        return self.pos_dept[self.w_pos]

    def worker_at(self, pos: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The worker holding each position on each day (-1 if none or unknown)."""
        pos = np.asarray(pos, dtype=np.int64)
        day = np.asarray(day, dtype="datetime64[D]")
        base = self.w_start.astype(np.int64)
        key = self.w_pos * 1_000_000 + base
        d = np.where(np.isnat(day), 0, day.astype(np.int64))
        q = pos * 1_000_000 + d
        i = np.searchsorted(key, q, side="right") - 1
        ok = (pos >= 0) & ~np.isnat(day) & (i >= 0)
        i = np.clip(i, 0, len(key) - 1)
        ok &= self.w_pos[i] == pos
        return np.where(ok, i, -1)

    def positions_of(self, depts: np.ndarray, roles: tuple[str, ...]) -> np.ndarray:
        mask = np.isin(self.pos_dept, depts) & np.isin(self.pos_role, [R[r] for r in roles])
        return np.flatnonzero(mask)

    def team_manager(self) -> np.ndarray:
        """Position of the manager of each department row (team manager, else service manager)."""
        out = np.full(len(self.dept_name), -1)
        tm = np.flatnonzero(self.pos_role == R["TEAM_MANAGER"])
        out[self.pos_dept[tm]] = tm
        for area, p in self.area_head.items():
            out[self.n_teams + area] = p
            teams = np.flatnonzero(self.dept_parent == self.n_teams + area)
            out[teams] = np.where(out[teams] < 0, p, out[teams])
        return out


def build_workforce(ctx: Ctx, team_load: np.ndarray, extra_staff: dict[str, float]) -> Workforce:
    """Positions sized from the children each team holds on average, then their workers.

    team_load: mean open children per team over the window. extra_staff: head counts by service
    area for teams that hold no cases (MASH workers, IROs, business support).
    """
    rng, r = ctx.rng["workforce"], ctx.rates
    n_teams = len(ctx.team_area)
    n_areas = len(AREAS)
    names = np.array(
        [f"{TEAM_WORDS[AREAS[a][0]]} {k}" for a, k in zip(ctx.team_area, ctx.team_number)]
        + [name for _, name, _ in AREAS],
        dtype=object,
    )
    parent = np.concatenate([n_teams + ctx.team_area, np.full(n_areas, -1)])
    pos_dept, pos_role, pos_cap = [], [], []

    def add(dept: int, role: str, k: int = 1, cap: float = 0.0):
        pos_dept.extend([dept] * k)
        pos_role.extend([R[role]] * k)
        pos_cap.extend([cap] * k)

    factor = np.exp(rng.normal(0, 0.12, n_teams))  # some teams run hotter than others
    for t in range(n_teams):
        code, _, holding = AREAS[ctx.team_area[t]]
        add(t, "TEAM_MANAGER")
        if holding:
            # full-caseload equivalents needed, less the practitioners' share
            need = team_load[t] / (r.caseload_target * factor[t])
            mean_cap = (1 - r.nqsw_share * (1 - r.nqsw_capacity)) * (1 - r.part_time_share * 0.35)
            practitioners = CAPACITY["ADVANCED_PRACTITIONER"] + (
                CAPACITY["MANAGING_PRACTITIONER"] if need >= 7 else 0
            )
            n_sw = max(2, round((need - practitioners) / mean_cap))
            n_nq = int(rng.binomial(n_sw, r.nqsw_share))
            add(t, "ADVANCED_PRACTITIONER", 1, CAPACITY["ADVANCED_PRACTITIONER"])
            if need >= 7:
                add(t, "MANAGING_PRACTITIONER", 1, CAPACITY["MANAGING_PRACTITIONER"])
            add(t, "SOCIAL_WORKER", n_sw - n_nq, 1.0)
            add(t, "NQSW", n_nq, r.nqsw_capacity)
            if code in ("CIN", "DISABLED"):
                add(t, "FAMILY_SUPPORT_WORKER", 1 + int(n_sw > 6))
        else:
            role = {"MASH": "SOCIAL_WORKER", "IRO": "IRO", "BUSINESS_SUPPORT": "BUSINESS_SUPPORT"}[
                code
            ]
            teams_in_area = int((ctx.team_area == ctx.team_area[t]).sum())
            add(t, role, max(2, round(extra_staff.get(code, 2) / teams_in_area)))
    area_head = {}
    for a in range(n_areas):
        area_head[a] = len(pos_dept)
        add(n_teams + a, "SERVICE_MANAGER")
    for a in (AREA_INDEX["ASSESSMENT"], AREA_INDEX["CLA"]):
        add(n_teams + a, "HEAD_OF_SERVICE")
    pos_dept, pos_role, pos_cap = np.array(pos_dept), np.array(pos_role), np.array(pos_cap)
    n_pos = len(pos_dept)
    fte = np.where(rng.random(n_pos) < r.part_time_share, rng.choice([0.5, 0.6, 0.8], n_pos), 1.0)
    fte[np.isin(pos_role, [R["TEAM_MANAGER"], R["SERVICE_MANAGER"], R["HEAD_OF_SERVICE"]])] = 1.0
    cap = pos_cap * fte
    w = _workers(ctx, pos_role)
    return Workforce(n_teams, names, parent, pos_dept, pos_role, fte, cap, *w, area_head)


def _workers(ctx: Ctx, pos_role: np.ndarray):
    rng, r = ctx.rng["workforce"], ctx.rates
    n_pos = len(pos_role)
    k = 24  # successive workers drawn per position (unused ones dropped)
    role = np.repeat(pos_role, k)
    nq = role == R["NQSW"]
    senior = np.isin(role, [R["TEAM_MANAGER"], R["SERVICE_MANAGER"], R["HEAD_OF_SERVICE"]])
    # probability that a new worker is agency, so that the stock share is agency_share
    a, ta, tp = r.agency_share, r.agency_tenure_years, r.permanent_tenure_years
    hire = a * tp / (ta * (1 - a) + a * tp)
    agency_p = np.where(nq | (role == R["BUSINESS_SUPPORT"]), 0.0, np.where(senior, hire / 2, hire))
    u = rng.random(n_pos * k)
    emp = np.where(u < agency_p, 1, np.where(u < agency_p + 0.08, 2, 0))
    years = np.where(
        emp == 1,
        rng.exponential(r.agency_tenure_years, n_pos * k),
        np.where(
            emp == 2,
            rng.uniform(0.5, 2.0, n_pos * k),
            rng.exponential(r.permanent_tenure_years, n_pos * k),
        ),
    )
    years = np.where(nq, rng.uniform(0.9, 1.4, n_pos * k), years)
    days = np.maximum(30, (years * 365.25).astype(np.int64)).reshape(n_pos, k)
    first = ctx.hist_start - rng.integers(0, 4 * 365, n_pos).astype("timedelta64[D]")
    # first worker started before the history; later ones follow without a gap
    offsets = np.concatenate(
        [np.zeros((n_pos, 1), np.int64), np.cumsum(days, axis=1)[:, :-1]], axis=1
    )
    start = first[:, None] + offsets.astype("timedelta64[D]")
    end = start + (days - 1).astype("timedelta64[D]")
    # workers in post at some time from the start of the kept history (events dated earlier get no worker)
    keep = (start <= ctx.end) & (end >= ctx.hist_start)
    w_pos = np.repeat(np.arange(n_pos), k).reshape(n_pos, k)[keep]
    w_start, w_end = start[keep], end[keep]
    w_emp = emp.reshape(n_pos, k)[keep]
    w_end = np.where(w_end >= ctx.end, NAT, w_end)
    leaving = np.where(np.isnat(w_end), -1, rng.integers(0, 5, len(w_end)))
    order = np.lexsort((w_start, w_pos))
    return w_pos[order], w_start[order], w_end[order], w_emp[order], leaving[order]


def months(ctx: Ctx) -> np.ndarray:
    """First day of every month of the window."""
    return np.arange(ctx.start.astype("datetime64[M]"), ctx.end.astype("datetime64[M]") + 1).astype(
        "datetime64[D]"
    )


def month_end(m: np.ndarray) -> np.ndarray:
    return (m.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
