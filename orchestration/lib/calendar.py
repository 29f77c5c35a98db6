"""England and Wales bank holidays, from the maintained `holidays` library (not a typed list).

The library follows GOV.UK's announcements, one-off days included (2022-06-03, 2022-09-19,
2023-05-08); upgrading the pinned package is how a newly announced day arrives.
"""

from datetime import date

import holidays


def bank_holidays(first_year: int, last_year: int) -> list[tuple[date, str]]:
    # England and Wales share one list; subdivision ENG is it.
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return sorted(days.items())
