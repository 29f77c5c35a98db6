"""Small vectorised helpers for drawing column values."""

import numpy as np

from .calendar import NAT
from .render import Cat, Ids

PERSON = "P"
WORKER = "PR"
DEPT = "D"


def pick(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return np.searchsorted(np.cumsum(w) / w.sum(), rng.random(n), side="right").clip(0, len(w) - 1)


def flag(rng: np.random.Generator, p, n: int) -> np.ndarray:
    return (rng.random(n) < p).astype(np.int8)


def flag_of(mask: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    out = np.asarray(mask).astype(np.int8)
    if known is not None:
        out[~known] = -1
    return out


def person_ids(idx: np.ndarray) -> Ids:
    return Ids(PERSON, np.asarray(idx, np.int64), 7)


def worker_ids(idx: np.ndarray) -> Ids:
    return Ids(WORKER, np.asarray(idx, np.int64), 6)


def dept_ids(idx: np.ndarray) -> Ids:
    idx = np.asarray(idx, np.int64)
    return Ids(DEPT, np.where(idx >= 0, idx + 1, -1), 4)


def ids(prefix: str, idx: np.ndarray, width: int = 7) -> Ids:
    return Ids(prefix, np.asarray(idx, np.int64), width)


def blank_some(rng: np.random.Generator, idx: np.ndarray, p: float) -> np.ndarray:
    """Integer references with a share p set to -1 (null)."""
    idx = np.asarray(idx, np.int64).copy()
    idx[rng.random(len(idx)) < p] = -1
    return idx


def blank_dates(rng: np.random.Generator, d: np.ndarray, p: float) -> np.ndarray:
    return np.where(rng.random(len(d)) < p, NAT, d)


def cat(labels, index) -> Cat:
    return Cat(tuple(labels), np.asarray(index, np.int64))


def cat_pick(rng, labels, n, weights=None) -> Cat:
    if weights is None:
        return Cat(tuple(labels), rng.integers(0, len(labels), n))
    return Cat(tuple(labels), pick(rng, weights, n))


def uniform_day(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A random day in [lo, hi] (datetime64[D] arrays, hi >= lo)."""
    span = np.maximum(0, (hi - lo).astype(np.int64))
    return lo + (rng.random(len(lo)) * (span + 1)).astype(np.int64).astype("timedelta64[D]")
