"""Dates for the simulation: England bank holidays and vectorised working-day arithmetic."""

from datetime import date
from functools import cache

import numpy as np

from orchestration.lib.calendar import bank_holidays as england_bank_holidays

NAT = np.datetime64("NaT", "D")


@cache
def bank_holidays(first_year: int = 1995, last_year: int = 2040) -> np.ndarray:
    """England and Wales bank holidays, the same list the pipeline's calendar uses (the `holidays`
    library); days falling at a weekend are harmless to numpy's business-day functions."""
    days = [d for d, _ in england_bank_holidays(first_year, last_year)]
    return np.unique(np.array(days, dtype="datetime64[D]"))


def add_wd(start: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The date n working days after start (start rolled forward to a working day); NaT kept."""
    start = np.asarray(start, dtype="datetime64[D]")
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), start.shape)
    out = np.full(start.shape, NAT)
    ok = ~np.isnat(start)
    out[ok] = np.busday_offset(start[ok], n[ok], roll="forward", holidays=bank_holidays())
    return out


def wd_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """wd(a, b): working days d with a < d <= b (as the KPI catalogue defines it)."""
    a = np.asarray(a, dtype="datetime64[D]")
    b = np.asarray(b, dtype="datetime64[D]")
    out = np.zeros(np.broadcast(a, b).shape, dtype=np.int64)
    ok = ~(np.isnat(a) | np.isnat(b))
    out[ok] = np.busday_count(a[ok] + 1, b[ok] + 1, holidays=bank_holidays())
    return out


def add_days(d: np.ndarray, n) -> np.ndarray:
    return np.asarray(d, dtype="datetime64[D]") + np.asarray(n, dtype=np.int64).astype(
        "timedelta64[D]"
    )


def add_months(d: np.ndarray, months: int) -> np.ndarray:
    """Calendar months with month-end clipping (30 Nov + 3 months = end of February)."""
    d = np.asarray(d, dtype="datetime64[D]")
    m = d.astype("datetime64[M]")
    day = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + np.timedelta64(months, "M")
    last = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day, last - 1).astype("timedelta64[D]")


def to_np(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)
