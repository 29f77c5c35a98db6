"""Dates for the simulation: England bank holidays and vectorised working-day arithmetic."""

from datetime import date, timedelta
from functools import cache

import numpy as np

NAT = np.datetime64("NaT", "D")
ONE_OFF_HOLIDAYS = ("2011-04-29", "2012-06-05", "2022-06-03", "2022-09-19", "2023-05-08")


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month = (h + ll - 7 * m + 114) // 31
    day = (h + ll - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def _weekday_on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def _substitute(d: date) -> date:
    return d + timedelta(days=2) if d.weekday() == 5 else d + timedelta(days=1) if d.weekday() == 6 else d


@cache
def bank_holidays(first_year: int = 1995, last_year: int = 2040) -> np.ndarray:
    """England and Wales bank holidays (with substitute days and one-off days)."""
    days: list[date] = []
    for y in range(first_year, last_year + 1):
        easter = _easter(y)
        days += [easter - timedelta(days=2), easter + timedelta(days=1)]
        days.append(_weekday_on_or_after(date(y, 5, 1), 0))  # early May
        if y == 2020:
            days[-1] = date(2020, 5, 8)
        spring = _weekday_on_or_after(date(y, 5, 25), 0)
        days.append({2012: date(2012, 6, 4), 2022: date(2022, 6, 2)}.get(y, spring))
        days.append(_weekday_on_or_after(date(y, 8, 25), 0))
        ny = date(y, 1, 1)
        days.append(_substitute(ny))
        xmas, boxing = date(y, 12, 25), date(y, 12, 26)
        if xmas.weekday() == 5:
            days += [date(y, 12, 27), date(y, 12, 28)]
        elif xmas.weekday() == 6:
            days += [date(y, 12, 27), date(y, 12, 26)]
        elif xmas.weekday() == 4:
            days += [xmas, date(y, 12, 28)]
        else:
            days += [xmas, boxing]
    days += [date.fromisoformat(d) for d in ONE_OFF_HOLIDAYS]
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
    return np.asarray(d, dtype="datetime64[D]") + np.asarray(n, dtype=np.int64).astype("timedelta64[D]")


def add_months(d: np.ndarray, months: int) -> np.ndarray:
    """Calendar months with month-end clipping (30 Nov + 3 months = end of February)."""
    d = np.asarray(d, dtype="datetime64[D]")
    m = d.astype("datetime64[M]")
    day = (d - m.astype("datetime64[D]")).astype(np.int64)
    target = m + np.timedelta64(months, "M")
    last = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]") + np.minimum(day, last - 1).astype("timedelta64[D]")


def to_np(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)
