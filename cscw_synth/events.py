"""Vectorised generators of repeated events (visits, meetings, reviews) for many owners at once."""

from collections.abc import Callable

import numpy as np

from .calendar import add_days, add_months, add_wd


def grouped_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    c = np.cumsum(values)
    ends = np.cumsum(counts)
    before = np.concatenate([[0], c[ends[:-1] - 1]]) if len(counts) else np.zeros(0, c.dtype)
    return c - np.repeat(before, counts)


def repeat_events(
    start: np.ndarray,
    stop: np.ndarray,
    gaps: Callable[[int], np.ndarray],
    mean_gap: float,
    working_days: bool,
    first_gaps: Callable[[int], np.ndarray] | None = None,
    max_events: int = 2000,
) -> tuple[np.ndarray, np.ndarray]:
    """Events from `start` every gap until before `stop` (both datetime64[D]).

    Returns (owner index, event date), owners in order and dates ascending within an owner.
    `gaps(n)` draws n gaps (working days or calendar days); `first_gaps` the first one.
    """
    start = np.asarray(start, "datetime64[D]")
    stop = np.asarray(stop, "datetime64[D]")
    span = np.maximum(0, (stop - start).astype(np.int64))
    scale = 7 / 5 if working_days else 1.0
    k = np.minimum(max_events, (span / (mean_gap * scale) * 1.4 + 3).astype(np.int64))
    k[span == 0] = 0
    owner = np.repeat(np.arange(len(start)), k)
    g = gaps(len(owner)).astype(np.int64)
    if first_gaps is not None and len(owner):
        firsts = np.concatenate([[0], np.cumsum(k)[:-1]])[k > 0]
        g[firsts] = first_gaps(len(firsts)).astype(np.int64)
    cum = grouped_cumsum(g, k)
    day = add_wd(start[owner], cum) if working_days else add_days(start[owner], cum)
    keep = day < stop[owner]
    return owner[keep], day[keep]


def review_schedule(
    start: np.ndarray,
    stop: np.ndarray,
    first_due: Callable[[np.ndarray], np.ndarray],
    next_due: Callable[[np.ndarray, int], np.ndarray],
    held: Callable[[np.ndarray], np.ndarray],
    max_reviews: int = 40,
):
    """Reviews due by rule, each held around its due date; the next due counts from the actual one.

    Returns (owner, ordinal from 1, due date, held date).
    """
    owners, ords, dues, dates = [], [], [], []
    idx = np.arange(len(start))
    due = first_due(start)
    for n in range(1, max_reviews + 1):
        day = held(due)
        ok = day < stop[idx]
        if not ok.any():
            break
        idx, due, day = idx[ok], due[ok], day[ok]
        owners.append(idx)
        ords.append(np.full(len(idx), n))
        dues.append(due)
        dates.append(day)
        due = next_due(day, n)
    if not owners:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0, "datetime64[D]"), np.zeros(0, "datetime64[D]")
    owner = np.concatenate(owners)
    order = np.lexsort((np.concatenate(dates), owner))
    return (
        owner[order],
        np.concatenate(ords)[order],
        np.concatenate(dues)[order],
        np.concatenate(dates)[order],
    )


def months_later(n: int):
    return lambda d: add_months(d, n)
