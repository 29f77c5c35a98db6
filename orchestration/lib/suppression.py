"""Small-number suppression for the published scorecard (the warehouse keeps full values).

Rule (docs/privacy.md): in `kpi_scorecard` rows broken down by team or service area, a row is
suppressed when the number of people behind it is positive but under the threshold
(CSCW_SUPPRESS_BELOW, default 5):

- counts and rates per 10,000 (`unit` in count, rate_10k): 0 < numerator < threshold;
- everything else (percentage, ratio, mean, and any new unit): 0 < denominator < threshold,
  or, if the row has no denominator, 0 < numerator < threshold.

A suppressed row keeps its identifying columns (authority, measure, period, breakdown) but
numerator, denominator, value, rag and direction are NULL; `suppressed` is true and
`suppression_reason` says which rule applied, without the number. Authority-level rows and zero
counts are never suppressed. Unsuppressed rows have `suppressed = false`, reason NULL.
"""

import os

DEFAULT_SUPPRESS_BELOW = 5
SUPPRESSED_BREAKDOWNS = ("team", "service_area")
COUNT_UNITS = ("count", "rate_10k")
# Columns blanked in a suppressed row (any that the scorecard has).
BLANKED = ("numerator", "denominator", "value", "rag", "direction")


def suppress_below(env: dict | None = None) -> int:
    env = os.environ if env is None else env
    raw = env.get("CSCW_SUPPRESS_BELOW", "").strip()
    if not raw:
        return DEFAULT_SUPPRESS_BELOW
    threshold = int(raw)
    if threshold < 0:
        raise ValueError(f"CSCW_SUPPRESS_BELOW must be 0 or more, not {raw}")
    return threshold


def _basis_sql() -> str:
    counts = ", ".join(f"'{u}'" for u in COUNT_UNITS)
    return (
        f"(CASE WHEN unit IN ({counts}) OR denominator IS NULL THEN numerator ELSE denominator END)"
    )


def suppression_sql(relation: str, columns: list[str], threshold: int) -> str:
    """SELECT over `relation` (a scorecard) with suppression applied; `columns` in table order."""
    threshold = int(threshold)
    breakdowns = ", ".join(f"'{b}'" for b in SUPPRESSED_BREAKDOWNS)
    counts = ", ".join(f"'{u}'" for u in COUNT_UNITS)
    basis = _basis_sql()
    flag = f"(breakdown IN ({breakdowns}) AND {basis} > 0 AND {basis} < {threshold})"
    reason = (
        f"CASE WHEN {flag} THEN "
        f"CASE WHEN unit IN ({counts}) OR denominator IS NULL THEN 'count under {threshold}' "
        f"ELSE 'denominator under {threshold}' END END"
    )
    select = [
        f"CASE WHEN {flag} THEN NULL ELSE {c} END AS {c}" if c in BLANKED else c
        for c in columns
        if c not in ("suppressed", "suppression_reason")
    ]
    select += [f"coalesce({flag}, false) AS suppressed", f"{reason} AS suppression_reason"]
    return f"SELECT {', '.join(select)} FROM {relation}"
