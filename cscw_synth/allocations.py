"""Who holds each child's case when: phases of a chain -> team -> position -> worker intervals."""

from dataclasses import dataclass

import numpy as np

from .calendar import NAT
from .context import Ctx
from .workforce import Workforce

# phase kinds: (start column, team column)
PHASES = (
    ("ref", "ass_team"),
    ("cp_start", "cp_team"),
    ("cin_start", "cin_team"),
    ("cla_start", "cla_team"),
)
A, CP, CIN, CLA = range(4)
CHANGE_REASONS = ("TRANSFER", "WORKER_LEFT", "CASE_CLOSED", "REALLOCATION", "OTHER")


@dataclass
class Phases:
    chain: np.ndarray
    kind: np.ndarray
    team: np.ndarray
    start: np.ndarray  # start of the allocation (after any wait)
    end: np.ndarray  # NaT = open
    closes: np.ndarray  # the phase ends when the case closes
    pos: np.ndarray | None = None


def build_phases(ctx: Ctx, c: dict) -> Phases:
    rng, r = ctx.rng["allocations"], ctx.rates
    parts = []
    for k, (scol, tcol) in enumerate(PHASES):
        idx = np.flatnonzero(~np.isnat(c[scol]))
        parts.append((idx, np.full(len(idx), k), c[tcol][idx], c[scol][idx]))
    chain = np.concatenate([p[0] for p in parts])
    kind = np.concatenate([p[1] for p in parts])
    team = np.concatenate([p[2] for p in parts])
    start = np.concatenate([p[3] for p in parts]).astype("datetime64[D]")
    order = np.lexsort((kind, start, chain))
    chain, kind, team, start = chain[order], kind[order], team[order], start[order]
    last = np.r_[chain[1:] != chain[:-1], True]
    end = np.where(last, c["close"][chain], np.r_[start[1:], NAT])
    keep = np.isnat(end) | (end > start)
    chain, kind, team, start, end, last = (
        chain[keep],
        kind[keep],
        team[keep],
        start[keep],
        end[keep],
        last[keep],
    )
    wait = np.where(rng.random(len(chain)) < r.unallocated, rng.integers(3, 40, len(chain)), 0)
    start = start + wait.astype("timedelta64[D]")
    return Phases(chain, kind, team, start, end, last)


def team_loads(ctx: Ctx, ph: Phases, n_teams: int) -> np.ndarray:
    lo = np.maximum(ph.start, ctx.start)
    hi = np.where(np.isnat(ph.end), ctx.end + 1, np.minimum(ph.end, ctx.end + 1))
    days = np.maximum(0, (hi - lo).astype(np.int64))
    window = (ctx.end - ctx.start).astype(np.int64) + 1
    return np.bincount(ph.team, weights=days, minlength=n_teams) / window


def assign_positions(ctx: Ctx, ph: Phases, wf: Workforce) -> None:
    rng = ctx.rng["allocations"]
    holders = np.flatnonzero(wf.pos_cap > 0)
    holders = holders[np.argsort(wf.pos_dept[holders], kind="stable")]
    cum = np.cumsum(wf.pos_cap[holders])
    dept = wf.pos_dept[holders]
    n_dept = len(wf.dept_name)
    tot = np.bincount(dept, weights=wf.pos_cap[holders], minlength=n_dept)
    lo = np.concatenate([[0.0], np.cumsum(tot)])[:-1]
    q = lo[ph.team] + rng.random(len(ph.team)) * tot[ph.team]
    i = np.clip(np.searchsorted(cum, q, side="right"), 0, len(holders) - 1)
    ph.pos = holders[i]


def chain_positions(ph: Phases, n_chains: int) -> np.ndarray:
    """Position per chain and phase kind (-1 if the chain never had that phase)."""
    out = np.full((n_chains, len(PHASES)), -1)
    out[ph.chain, ph.kind] = ph.pos
    return out


@dataclass
class Involvements:
    chain: np.ndarray
    worker: np.ndarray
    team: np.ndarray
    start: np.ndarray
    end: np.ndarray
    reason: np.ndarray  # index into CHANGE_REASONS (-1 none)


def build_involvements(ctx: Ctx, ph: Phases, wf: Workforce) -> Involvements:
    keep = np.isnat(ph.end) | (ph.end > ctx.hist_start)
    keep &= np.isnat(ph.end) | (ph.end > ph.start)
    chain, team, pos = ph.chain[keep], ph.team[keep], ph.pos[keep]
    start = np.maximum(ph.start[keep], ctx.hist_start)
    end, closes = ph.end[keep], ph.closes[keep]
    last_day = np.where(np.isnat(end), ctx.end, end - 1)
    i0 = wf.worker_at(pos, start)
    i1 = wf.worker_at(pos, last_day)
    ok = (i0 >= 0) & (i1 >= i0)
    chain, team, start, end, closes, i0, i1 = (
        chain[ok],
        team[ok],
        start[ok],
        end[ok],
        closes[ok],
        i0[ok],
        i1[ok],
    )
    pieces = i1 - i0 + 1
    seg = np.repeat(np.arange(len(chain)), pieces)
    first = np.concatenate([[0], np.cumsum(pieces)[:-1]])
    k = np.arange(len(seg)) - np.repeat(first, pieces)
    worker = i0[seg] + k
    is_last = k == pieces[seg] - 1
    p_start = np.maximum(start[seg], wf.w_start[worker])
    nxt = np.clip(worker + 1, 0, len(wf.w_start) - 1)
    p_end = np.where(is_last, end[seg], wf.w_start[nxt])
    reason = np.where(~is_last, 1, np.where(np.isnat(end[seg]), -1, np.where(closes[seg], 2, 0)))
    return Involvements(chain[seg], worker, team[seg], p_start, p_end, reason)


def event_worker(
    wf: Workforce, chain_pos: np.ndarray, chains: np.ndarray, kind: int, day: np.ndarray
) -> np.ndarray:
    """The worker who held the chain's case in that phase on that day (-1 if unknown)."""
    return wf.worker_at(chain_pos[chains, kind], day)
