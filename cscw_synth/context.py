"""Per-authority context: dates, rates, random streams, service areas and teams."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from .calendar import minus_years, to_np
from .rates import Rates, draw_authority_rates

# Service areas: (code, name, case-holding). Order matters (team ids follow it).
AREAS = (
    ("MASH", "MASH and Front Door", False),
    ("ASSESSMENT", "Assessment", True),
    ("CIN", "Children in Need", True),
    ("CP_COURT", "Child Protection and Court", True),
    ("CLA", "Children Looked After", True),
    ("LEAVING_CARE", "16+ and Leaving Care", True),
    ("DISABLED", "Disabled Children", True),
    ("IRO", "Independent Reviewing Service", False),
    ("BUSINESS_SUPPORT", "Business Support", False),
)
AREA_INDEX = {code: i for i, (code, _, _) in enumerate(AREAS)}
# Expected open children per 10,000 handled by each case-holding area (sizes the number of teams).
AREA_LOAD_PER_10K = {
    "ASSESSMENT": 75,
    "CIN": 150,
    "CP_COURT": 55,
    "CLA": 55,
    "LEAVING_CARE": 15,
    "DISABLED": 20,
}

STREAMS = (
    "journeys",
    "frontdoor",
    "children",
    "care",
    "workforce",
    "allocations",
    "people",
    "format",
    "faults",
    "sizes",
)


@dataclass
class Ctx:
    la_code: str
    children: int
    rates: Rates
    start: np.datetime64  # first day of the window
    end: np.datetime64  # extract date, last day of the window
    sim_start: np.datetime64  # journeys start here (burn-in)
    hist_start: np.datetime64  # high-volume history (visits, allocations) kept from here
    rng: dict[str, np.random.Generator]
    team_area: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    team_z: np.ndarray = field(default_factory=lambda: np.zeros(0))
    team_number: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def years_window(self) -> float:
        return float((self.end - self.start).astype(np.int64) + 1) / 365.25

    def area_teams(self, area: str) -> np.ndarray:
        return np.flatnonzero(self.team_area == AREA_INDEX[area])

    def choose_team(self, rng: np.random.Generator, area: str, n: int) -> np.ndarray:
        teams = self.area_teams(area)
        return teams[rng.integers(0, len(teams), n)]

    def team_p(self, base: float, teams: np.ndarray, spread: float = 0.06) -> np.ndarray:
        """A probability of meeting a standard for events of these teams (team quality varies)."""
        return np.clip(base + spread * self.team_z[teams], 0.02, 0.99)


def make_context(
    la_code: str, children: int, years: int, end_date: date, seed: int, base: Rates = Rates()
) -> Ctx:
    root = np.random.SeedSequence([seed, int(la_code)])
    rngs = {
        name: np.random.Generator(np.random.PCG64(s))
        for name, s in zip(STREAMS, root.spawn(len(STREAMS)))
    }
    rates = draw_authority_rates(rngs["sizes"], base)
    start = minus_years(end_date, years) + timedelta(days=1)
    ctx = Ctx(
        la_code=la_code,
        children=children,
        rates=rates,
        start=to_np(start),
        end=to_np(end_date),
        sim_start=to_np(minus_years(start, rates.burn_in_years)),
        hist_start=to_np(start - timedelta(days=365)),
        rng=rngs,
    )
    _plan_teams(ctx)
    return ctx


def _plan_teams(ctx: Ctx) -> None:
    rng = ctx.rng["sizes"]
    r = ctx.rates
    per_team = r.caseload_target * r.team_size
    counts = []
    for code, _, holding in AREAS:
        if holding:
            load = AREA_LOAD_PER_10K[code] * ctx.children / 10_000
            counts.append(max(1, round(load / per_team)))
        elif code in ("MASH", "IRO"):
            counts.append(max(1, round(ctx.children / 120_000)))
        else:
            counts.append(1)
    ctx.team_area = np.repeat(np.arange(len(AREAS)), counts)
    ctx.team_number = np.concatenate([np.arange(1, c + 1) for c in counts])
    ctx.team_z = rng.normal(0, 1, len(ctx.team_area))
