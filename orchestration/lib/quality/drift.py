"""Drift against the last publication: the new scorecard compared with the published one, per authority.

Run before the gate (check ``drift_publication`` on ``kpi/kpi_scorecard``) for every authority
that is both in this run's scorecard and in the snapshot ``current`` points to; like with like
(the same measure and period, authority level: ``breakdown = 'la'``, never suppressed):

    expectation           severity  fails when (thresholds: seeds/quality_thresholds.csv)
    drift_values_lost     critical  a measure had a value for a period (its units counted > 0) and
                                    now has none (NULL or not available): more than
                                    ``drift_values_lost.critical`` measure-periods
    drift_units_critical  critical  the units counted (denominator; the numerator of counts and
                                    rates per 10,000) changed by more than ``drift_units.critical``
                                    of the published figure (from 0: any change), judged only
                                    where either side has ``min_rows`` units
    drift_units_warning   warning   the same above ``drift_units.warning`` (up to critical)
    drift_periods_lost    critical  a published period is missing now (periods before the new
                                    window's first period, a financial-year rollover, are expected)
    drift_data_date       critical  the data date (``dim_authority.as_at_date``) moved backwards
                                    by more than ``drift_data_date.critical`` days, or is after today

A change accepted by a person (``cscw run --accept-change LA`` or ``LA:measure``, repeatable) is
not counted there: it is recorded as one row per authority and expectation with severity
``info`` (never blocking) and ``accepted by --accept-change`` in ``observed``; the data-quality
report lists it under "Accepted changes". Measure-level acceptance covers the measure's values
and units; lost periods and the data date are accepted only for the whole authority.

No previous publication, or an authority not in it: every expectation passes (nothing to
compare). Everything is computed in DuckDB over both scorecards; Python only shapes the few
result rows (authorities x expectations).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from orchestration.lib.sqltext import lit

CHECK_NAME = "drift_publication"
SUITE = "drift"
TABLE = "kpi_scorecard"
ACCEPT_ENV = "CSCW_ACCEPT_CHANGE"
ACCEPT_TAG = "cscw/accept_change"
ACCEPTED_TEXT = "accepted by --accept-change"

# expectation -> (column, severity, description when it passes)
EXPECTATIONS = {
    "drift_values_lost": (
        "value",
        "critical",
        "Every measure that had a value in the published snapshot still has one",
    ),
    "drift_units_critical": (
        "units",
        "critical",
        "Units counted within the critical share of the published figure",
    ),
    "drift_units_warning": (
        "units",
        "warning",
        "Units counted within the warning share of the published figure",
    ),
    "drift_periods_lost": ("period_start", "critical", "Every published period is still there"),
    "drift_data_date": (
        "as_at_date",
        "critical",
        "The data date does not move backwards or beyond today",
    ),
}
WHAT = {  # what changed, for the description of a failing result
    "drift_values_lost": "measure-periods lost their value",
    "drift_units_critical": "measure-periods changed their units counted beyond the critical share",
    "drift_units_warning": "measure-periods changed their units counted beyond the warning share",
    "drift_periods_lost": "published periods are missing",
    "drift_data_date": "data date moved backwards or beyond today",
}


@dataclass(frozen=True)
class Accepted:
    la_code: str
    kpi_id: str | None = None  # None: every change of the authority

    def __str__(self) -> str:
        return self.la_code + (f":{self.kpi_id}" if self.kpi_id else "")


def parse_accepted(values: list[str] | str | None) -> list[Accepted]:
    """``['884', '201:assessments_45wd']`` or ``'884,201:assessments_45wd'`` -> [Accepted]."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    out = []
    for raw in values:
        raw = raw.strip()
        if not raw:
            continue
        la, _, measure = raw.partition(":")
        if not la.strip() or (_ and not measure.strip()):
            raise ValueError(f"--accept-change takes LA or LA:measure, not {raw!r}")
        out.append(Accepted(la.strip(), measure.strip() or None))
    return out


def accepted_from(tags: dict | None = None, env: dict | None = None) -> list[Accepted]:
    """The run's accepted changes: the Dagster run tag ``cscw/accept_change`` (set by ``cscw run``),
    else the environment variable ``CSCW_ACCEPT_CHANGE`` (comma-separated)."""
    env = os.environ if env is None else env
    raw = (tags or {}).get(ACCEPT_TAG) or env.get(ACCEPT_ENV) or ""
    return parse_accepted(raw)


def previous_relations(snapshot: Path | None) -> tuple[str | None, str | None]:
    """(scorecard, dim_authority) of a published snapshot as DuckDB relations (None if absent)."""

    def parquet(name: str) -> str | None:
        path = snapshot / "parquet" / f"{name}.parquet" if snapshot else None
        return f"read_parquet({lit(str(path))})" if path and path.exists() else None

    return parquet(TABLE), parquet("dim_authority")


def _units(alias: str) -> str:
    return f"CASE WHEN {alias}.unit IN ('count', 'rate_10k') THEN {alias}.numerator ELSE {alias}.denominator END"


def items_sql(
    new_scorecard: str, new_authority: str, old_scorecard: str, old_authority: str | None
) -> str:
    """Every drift item (la_code, expectation, kpi_id, period_type, period_label, before, after,
    share, accepted) of the authorities in both scorecards. Needs the temp tables
    ``_quality_thresholds`` (aggregates.load_thresholds) and ``_drift_accepted`` and ``$today``."""
    old_dates = (
        f"SELECT la_code, as_at_date FROM {old_authority}"
        if old_authority
        else "SELECT NULL::VARCHAR AS la_code, NULL::DATE AS as_at_date WHERE false"
    )
    return f"""
WITH new_rows AS (
    SELECT s.la_code, s.kpi_id, s.period_type, s.period_start, s.period_label, s.value, {_units("s")} AS units
    FROM {new_scorecard} s WHERE s.breakdown = 'la'
),
old_rows AS (
    SELECT s.la_code, s.kpi_id, s.period_type, s.period_start, s.period_label, s.value, {_units("s")} AS units
    FROM {old_scorecard} s WHERE s.breakdown = 'la'
),
compared AS (  -- authorities in both: the others have nothing to compare
    SELECT DISTINCT la_code FROM new_rows INTERSECT SELECT DISTINCT la_code FROM old_rows
),
thresholds AS (
    SELECT measure, warning, critical, coalesce(min_rows, 0) AS min_rows
    FROM _quality_thresholds WHERE table_name = '*' OR table_name = '{TABLE}'
    QUALIFY row_number() OVER (PARTITION BY measure ORDER BY table_name = '*') = 1
),
pairs AS (
    SELECT o.*, n.value AS new_value, n.units AS new_units,
           abs(coalesce(n.units, 0) - coalesce(o.units, 0)) / nullif(coalesce(o.units, 0), 0) AS share
    FROM old_rows o JOIN compared USING (la_code)
    JOIN new_rows n USING (la_code, kpi_id, period_type, period_start)
),
units_judged AS (
    SELECT p.*, CASE WHEN p.share IS NULL THEN 'drift_units_critical'  -- from nothing to min_rows or more
                     WHEN p.share > t.critical THEN 'drift_units_critical'
                     WHEN p.share > t.warning THEN 'drift_units_warning' END AS expectation
    FROM pairs p, thresholds t
    WHERE t.measure = 'drift_units' AND p.units IS NOT NULL AND p.new_units IS NOT NULL  -- both available
      AND greatest(coalesce(p.units, 0), coalesce(p.new_units, 0)) >= t.min_rows
      AND coalesce(p.units, 0) <> coalesce(p.new_units, 0)
),
old_periods AS (
    SELECT DISTINCT la_code, period_type, period_start, period_label FROM old_rows JOIN compared USING (la_code)
),
items AS (
    SELECT la_code, 'drift_values_lost' AS expectation, kpi_id, period_type, period_start, period_label,
           round(value, 2)::VARCHAR AS before, 'none' AS after, NULL::DOUBLE AS share
    FROM pairs WHERE value IS NOT NULL AND units > 0 AND new_value IS NULL
    UNION ALL
    SELECT la_code, expectation, kpi_id, period_type, period_start, period_label,
           coalesce(units::BIGINT::VARCHAR, 'none'), coalesce(new_units::BIGINT::VARCHAR, 'none'), share
    FROM units_judged WHERE expectation IS NOT NULL
    UNION ALL
    SELECT p.la_code, 'drift_periods_lost', NULL, p.period_type, p.period_start, p.period_label,
           'published', 'missing', NULL
    FROM old_periods p JOIN {new_authority} a ON a.la_code = p.la_code
    WHERE p.period_start >= a.first_period_start  -- older periods leave the window as the data date moves
      AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.la_code = p.la_code AND n.period_type = p.period_type
                                                 AND n.period_start = p.period_start)
    UNION ALL
    SELECT a.la_code, 'drift_data_date', NULL, NULL, NULL, NULL,
           coalesce(o.as_at_date::VARCHAR, 'none'), a.as_at_date::VARCHAR, NULL
    FROM {new_authority} a JOIN compared USING (la_code)
    LEFT JOIN ({old_dates}) o USING (la_code), thresholds t
    WHERE t.measure = 'drift_data_date'
      AND (a.as_at_date > $today OR date_diff('day', a.as_at_date, o.as_at_date) > coalesce(t.critical, 0))
)
SELECT i.*, EXISTS (SELECT 1 FROM _drift_accepted x
                    WHERE x.la_code = i.la_code AND (x.kpi_id IS NULL OR x.kpi_id = i.kpi_id)) AS accepted
FROM items i"""


def results_sql(authorities: str, has_previous: bool) -> str:
    """One row per authority x expectation (not accepted) plus one ``info`` row per authority x
    expectation with accepted items; columns as quality.check_results minus run_id/checked_at/
    check_name/suite. Needs ``_drift_items`` and ``_quality_thresholds``."""
    expectations = ", ".join(
        f"({lit(e)}, {lit(c)}, {lit(s)}, {lit(d)}, {lit(WHAT[e])})"
        for e, (c, s, d) in EXPECTATIONS.items()
    )
    no_compare = (
        "'not in the published snapshot: nothing to compare'"
        if has_previous
        else "'no previous publication: nothing to compare'"
    )
    return f"""
WITH expectations(expectation, column_name, severity, description, what) AS (VALUES {expectations}),
limits AS (  -- the count of items a critical expectation tolerates (measure drift_<kind>)
    SELECT measure, critical FROM _quality_thresholds WHERE table_name IN ('*', '{TABLE}')
    QUALIFY row_number() OVER (PARTITION BY measure ORDER BY table_name = '*') = 1
),
judged AS (
    SELECT la_code, expectation, accepted, count(*) AS n,
           arg_min(concat_ws(' ', kpi_id, period_type, period_label) || ': ' || before || ' -> ' || after
                   || coalesce(' (' || round(100 * share)::BIGINT || '%)', ''),
                   concat_ws('|', kpi_id, period_type, period_start::VARCHAR)) AS example,
           string_agg(DISTINCT kpi_id, ', ' ORDER BY kpi_id) AS measures
    FROM _drift_items GROUP BY ALL
),
compared AS (SELECT DISTINCT la_code FROM _drift_compared),
grid AS (SELECT a.la_code, e.* FROM ({authorities}) a, expectations e),
main AS (
    SELECT g.la_code, '{TABLE}' AS table_name, g.expectation, g.column_name, g.severity,
           coalesce(j.n, 0) <= CASE WHEN g.expectation IN ('drift_values_lost', 'drift_periods_lost')
                                    THEN coalesce((SELECT critical FROM limits
                                                   WHERE measure = g.expectation), 0)
                                    ELSE 0 END AS success,
           coalesce(j.n, 0) AS unexpected_count, NULL::BIGINT AS element_count,
           CASE WHEN c.la_code IS NULL THEN {no_compare}
                WHEN j.n IS NULL THEN 'no change'
                ELSE j.n || ' ' || g.what || '; e.g. ' || j.example
                     || coalesce('; measures: ' || j.measures, '') END AS observed,
           CASE WHEN j.n IS NULL THEN g.description
                ELSE g.description || ' (' || j.n || ' ' || g.what || ', e.g. ' || j.example || ')' END AS description
    FROM grid g
    LEFT JOIN compared c USING (la_code)
    LEFT JOIN judged j ON j.la_code = g.la_code AND j.expectation = g.expectation AND NOT j.accepted
),
accepted AS (
    SELECT j.la_code, '{TABLE}', j.expectation, e.column_name, 'info', false, j.n, NULL::BIGINT,
           '{ACCEPTED_TEXT} (' || (SELECT string_agg(label, ', ' ORDER BY label) FROM _drift_accepted x
                                   WHERE x.la_code = j.la_code) || '): '
           || j.n || ' ' || e.what || '; e.g. ' || j.example || coalesce('; measures: ' || j.measures, ''),
           e.description || ' (change accepted: ' || j.n || ' ' || e.what || ', e.g. ' || j.example || ')'
    FROM judged j JOIN expectations e USING (expectation) WHERE j.accepted
)
SELECT * FROM main UNION ALL SELECT * FROM accepted
ORDER BY la_code, expectation, severity"""


def drift_rows(
    con: Any,
    run_id: str,
    new_scorecard: str,
    new_authority: str,
    old_scorecard: str | None,
    old_authority: str | None,
    accepted: list[Accepted] | None = None,
    today: date | None = None,
    thresholds: Path | None = None,
    checked_at: datetime | None = None,
) -> list[tuple]:
    """Rows for ``quality.check_results`` (results.COLUMNS) of the drift check."""
    from orchestration.lib.quality.aggregates import THRESHOLDS_CSV, load_thresholds

    load_thresholds(con, thresholds or THRESHOLDS_CSV)
    today = today or datetime.now(UTC).date()
    checked_at = checked_at or datetime.now(UTC).replace(tzinfo=None)
    accepted = accepted or []
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _drift_accepted (la_code VARCHAR, kpi_id VARCHAR, label VARCHAR)"
    )
    if accepted:
        con.executemany(
            "INSERT INTO _drift_accepted VALUES (?, ?, ?)",
            [(a.la_code, a.kpi_id, str(a)) for a in accepted],
        )
    if old_scorecard:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _drift_items AS {items_sql(new_scorecard, new_authority, old_scorecard, old_authority)}",
            {"today": today},
        )
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _drift_compared AS
                        SELECT DISTINCT la_code FROM {new_scorecard} WHERE breakdown = 'la'
                        INTERSECT SELECT DISTINCT la_code FROM {old_scorecard} WHERE breakdown = 'la'""")
    else:
        con.execute("""CREATE OR REPLACE TEMP TABLE _drift_items AS SELECT NULL::VARCHAR AS la_code,
                       NULL::VARCHAR AS expectation, NULL::VARCHAR AS kpi_id, NULL::VARCHAR AS period_type,
                       NULL::DATE AS period_start, NULL::VARCHAR AS period_label, NULL::VARCHAR AS before,
                       NULL::VARCHAR AS after, NULL::DOUBLE AS share, NULL::BOOLEAN AS accepted WHERE false""")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _drift_compared AS SELECT NULL::VARCHAR AS la_code WHERE false"
        )
    authorities = (
        f"SELECT DISTINCT la_code FROM {new_scorecard} WHERE la_code IS NOT NULL "
        f"UNION SELECT la_code FROM {new_authority} WHERE la_code IS NOT NULL"
    )
    rows = con.execute(results_sql(authorities, bool(old_scorecard))).fetchall()
    return [(run_id, checked_at, CHECK_NAME, SUITE, *r) for r in rows]
