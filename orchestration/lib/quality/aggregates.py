"""Aggregates computed in DuckDB that the aggregate suites validate (never the raw rows).

* ``raw_load_frames``: one row per authority x contract table, from ``raw_meta`` (the
  ingestion provenance): rows read / loaded / quarantined of the current version, quarantine
  rate against the thresholds in ``seeds/quality_thresholds.csv``, files that failed in the
  authority's latest load, tables never delivered, and the change in rows loaded against the
  previous loaded drop. Validated by the ``raw_load`` suite, one authority per batch.
* ``kpi_completeness_frames``: one row per authority x implemented measure: expected and
  present scorecard rows (every period of ``dim_period`` x every level), duplicates, gaps in
  the periods, percentages whose value disagrees with numerator / denominator, numerators
  above denominators, and rows of a measure not available (a table it needs was never
  delivered) that carry values or no reason. Validated by the ``kpi_completeness`` suite.

Everything is set-based SQL; a batch is at most a few hundred rows per authority.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from orchestration.lib.contract import RETURN_SOURCES, load_contract
from orchestration.lib.measures import may_exceed_100
from orchestration.lib.settings import REPO_ROOT
from orchestration.lib.sqltext import lit

THRESHOLDS_CSV = REPO_ROOT / "seeds" / "quality_thresholds.csv"

#: Reason classes of raw_meta.quarantine (the loader's reason texts), in report order.
REASON_CLASS_SQL = """CASE
    WHEN reason LIKE 'duplicate primary key%' THEN 'duplicate_key'
    WHEN reason LIKE 'no child:%' THEN 'no_child'
    WHEN reason = 'required value missing' THEN 'missing_required'
    WHEN reason LIKE 'code not in the contract list%' THEN 'unknown_code'
    WHEN reason IN ('not a valid date', 'not a valid datetime') THEN 'bad_date'
    WHEN reason LIKE 'not a valid %' THEN 'bad_value'
    WHEN reason LIKE 'malformed CSV row%' THEN 'malformed_row'
    WHEN reason LIKE 'XSD line%' THEN 'schema'
    ELSE 'other' END"""


def load_thresholds(con: Any, path: Path = THRESHOLDS_CSV) -> None:
    """(Re)create the temp table ``_quality_thresholds`` from the seed CSV.

    Read from the file (not the dbt seed) so that the raw-layer check, which runs before dbt,
    uses the same numbers. A ``table_name`` row wins over the ``*`` default of its measure.
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _quality_thresholds AS
            SELECT measure, table_name, try_cast(warning AS DOUBLE) AS warning,
                   try_cast(critical AS DOUBLE) AS critical, try_cast(min_rows AS BIGINT) AS min_rows
            FROM read_csv({lit(str(path))}, all_varchar = true, header = true)"""
    )


def _threshold_join(alias: str, measure: str, table_expr: str) -> str:
    return f"""LEFT JOIN LATERAL (
        SELECT warning, critical, coalesce(min_rows, 0) AS min_rows FROM _quality_thresholds t
        WHERE t.measure = {lit(measure)} AND (t.table_name = {table_expr} OR t.table_name = '*')
        ORDER BY (t.table_name = '*') LIMIT 1) AS {alias} ON true"""


def raw_load_sql(la_code: str | None = None) -> str:
    """SQL of the raw-layer aggregate (requires ``load_thresholds`` first)."""
    contract = sorted(load_contract().items())
    # a family: the case-management extract (SSD and local extracts) or one statutory return
    tables = ", ".join(
        f"({lit(n)}, {lit(t.source)}, {lit(t.source if t.source in RETURN_SOURCES else 'extract')})"
        for n, t in contract
    )
    where = f"WHERE a.la_code = {lit(la_code)}" if la_code else ""
    return f"""
WITH contract(table_name, source, family) AS (VALUES {tables}),
authorities AS (SELECT la_code, run_id AS latest_run FROM raw_meta.authority_state),
families AS (  -- an authority is expected to send every table of the families it sends at all
    SELECT DISTINCT v.la_code, c.family FROM raw_meta.current_versions v JOIN contract c USING (table_name)
    UNION  -- an authority of which nothing loaded yet: the extract
    SELECT la_code, 'extract' FROM authorities WHERE la_code NOT IN (SELECT la_code FROM raw_meta.current_versions)
),
expected AS (
    SELECT a.la_code, a.latest_run, c.table_name, c.source
    FROM authorities a JOIN families f USING (la_code) JOIN contract c USING (family)
    UNION
    -- ssd_* tables outside the contract that an authority delivered
    SELECT a.la_code, a.latest_run, v.table_name, 'SSD (outside contract)'
    FROM authorities a JOIN raw_meta.current_versions v USING (la_code)
    WHERE v.table_name NOT IN (SELECT table_name FROM contract)
),
versions AS (  -- a return has one current version per return year
    SELECT v.la_code, v.table_name, v.return_year, v.extract_date, v.source_file, v.run_id,
           l.rows_read, l.rows_loaded, l.rows_quarantined,
           p.extract_date AS previous_extract_date, p.rows_loaded AS previous_rows_loaded
    FROM raw_meta.current_versions v
    LEFT JOIN LATERAL (
        SELECT rows_read, rows_loaded, rows_quarantined FROM raw_meta.load_log l
        WHERE l.la_code = v.la_code AND l.table_name = v.table_name AND l.source_file = v.source_file
          AND l.run_id = v.run_id AND l.status = 'loaded'
        ORDER BY l.loaded_at DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (  -- the version of the same table and return year loaded before this one
        SELECT extract_date, rows_loaded FROM raw_meta.load_log l
        WHERE l.la_code = v.la_code AND l.table_name = v.table_name AND l.status = 'loaded'
          AND l.return_year IS NOT DISTINCT FROM v.return_year AND l.extract_date < v.extract_date
        ORDER BY l.extract_date DESC, l.loaded_at DESC LIMIT 1) p ON true
),
current AS (
    SELECT v.la_code, v.table_name, max(v.extract_date) AS extract_date,
           string_agg(v.source_file, ', ' ORDER BY v.return_year) AS source_file,
           bool_or(v.run_id <> a.latest_run) AS kept_previous_version,
           sum(v.rows_read) AS rows_read, sum(v.rows_loaded) AS rows_loaded,
           sum(v.rows_quarantined) AS rows_quarantined,
           max(v.previous_extract_date) AS previous_extract_date,
           sum(v.previous_rows_loaded) AS previous_rows_loaded,
           -- volume change compares the years that had an earlier version, not a year added
           sum(v.rows_loaded) FILTER (WHERE v.previous_rows_loaded IS NOT NULL) AS comparable_rows_loaded
    FROM versions v JOIN authorities a USING (la_code)
    GROUP BY v.la_code, v.table_name
),
failed AS (
    SELECT e.la_code, e.table_name, count(*) AS files_failed,
           max(l.extract_date) AS newest_failed_date, string_agg(l.message, ' | ') AS failure
    FROM expected e JOIN raw_meta.load_log l
      ON l.la_code = e.la_code AND l.table_name = e.table_name AND l.run_id = e.latest_run
     AND l.status = 'failed'
    GROUP BY ALL
),
joined AS (
    SELECT e.la_code, e.table_name, e.source, e.latest_run AS load_run_id,
           c.table_name IS NOT NULL AS delivered,
           c.extract_date, c.source_file,
           coalesce(c.rows_read, 0)::BIGINT AS rows_read,
           coalesce(c.rows_loaded, 0)::BIGINT AS rows_loaded,
           coalesce(c.rows_quarantined, 0)::BIGINT AS rows_quarantined,
           coalesce(f.files_failed, 0)::BIGINT AS files_failed,
           f.failure,
           coalesce(f.newest_failed_date > c.extract_date OR c.extract_date IS NULL, false)
               AND f.files_failed IS NOT NULL AS current_file_failed,
           c.kept_previous_version,
           c.previous_extract_date, c.previous_rows_loaded, c.comparable_rows_loaded
    FROM expected e
    LEFT JOIN current c ON c.la_code = e.la_code AND c.table_name = e.table_name
    LEFT JOIN failed f ON f.la_code = e.la_code AND f.table_name = e.table_name
)
SELECT a.la_code, a.table_name, a.source, a.load_run_id, a.delivered, a.extract_date, a.source_file,
       a.rows_read, a.rows_loaded, a.rows_quarantined,
       a.rows_read - a.rows_loaded - a.rows_quarantined AS rows_unaccounted,
       CASE WHEN a.rows_read > 0 THEN a.rows_quarantined / a.rows_read END AS quarantine_rate,
       q.warning AS quarantine_rate_warning,
       CASE WHEN a.rows_read >= q.min_rows THEN q.critical ELSE 1.0 END AS quarantine_rate_critical,
       a.files_failed, a.failure, a.current_file_failed, coalesce(a.kept_previous_version, false) AS kept_previous_version,
       a.previous_extract_date, a.previous_rows_loaded,
       CASE WHEN a.previous_rows_loaded > 0
            THEN abs(a.comparable_rows_loaded - a.previous_rows_loaded) / a.previous_rows_loaded
            WHEN a.previous_rows_loaded = 0 AND a.comparable_rows_loaded > 0 THEN 1.0 END AS volume_change,
       CASE WHEN greatest(a.rows_loaded, coalesce(a.previous_rows_loaded, 0)) >= v.min_rows
            THEN v.warning ELSE 1e9 END AS volume_change_warning
FROM joined a
{_threshold_join("q", "quarantine_rate", "a.table_name")}
{_threshold_join("v", "volume_change", "a.table_name")}
{where}
ORDER BY a.la_code, a.table_name
"""


def raw_load_frames(con: Any) -> Iterator[tuple[str, Any]]:
    """(la_code, DataFrame of that authority's raw-layer aggregate), one authority at a time."""
    load_thresholds(con)
    codes = [
        r[0]
        for r in con.execute("SELECT la_code FROM raw_meta.authority_state ORDER BY 1").fetchall()
    ]
    for code in codes:
        yield code, con.execute(raw_load_sql(code)).df()


def quarantine_by_reason_sql() -> str:
    """Rows quarantined (distinct lines) per authority, table and reason class, current versions."""
    return f"""
SELECT la_code, table_name, {REASON_CLASS_SQL} AS reason_class,
       count(DISTINCT (source_file, line)) AS rows_quarantined, count(*) AS errors,
       any_value(reason) AS example_reason
FROM raw_meta.quarantine
GROUP BY ALL
ORDER BY la_code, table_name, reason_class
"""


# --------------------------------------------------------------------------------------
# KPI completeness and consistency
# --------------------------------------------------------------------------------------

#: Relations used by the completeness aggregate (overridable for hand-made tests).
KPI_RELATIONS = {
    "scorecard": "kpi.kpi_scorecard",
    "catalogue": "reference.kpi_catalogue",
    "results": "intermediate.int_kpi_results",
    "availability": "kpi.kpi_measure_availability",
    "periods": "conformed.dim_period",
    "teams": "conformed.dim_team",
}

#: |value - 100 * numerator / denominator| above this is an inconsistency.
VALUE_TOLERANCE = 1e-6


def _varchar_list(values) -> str:
    """A DuckDB list literal of strings (typed, so that an empty one is too)."""
    return f"[{', '.join(lit(v) for v in values)}]::VARCHAR[]"


def kpi_completeness_sql(
    relations: dict[str, str] | None = None, la_code: str | None = None
) -> str:
    """One row per authority x measure (every catalogue measure, implemented or not).

    Expected rows = implemented measures x every period of ``dim_period`` x every level
    (authority, each service area, each leaf team of ``dim_team``), as the catalogue's
    shared conventions require; present / missing / unexpected rows compare the scorecard
    with that. A measure is implemented when it has results, or when some authority cannot
    have it (published as not available). Gaps: periods of a type missing between a series'
    first and last period.
    """
    r = {**KPI_RELATIONS, **(relations or {})}
    where = f"WHERE la_code = {lit(la_code)}" if la_code else ""
    return f"""
WITH authorities AS (SELECT DISTINCT la_code FROM {r["periods"]} {where}),
implemented AS (SELECT kpi_id FROM {r["results"]}
                UNION SELECT kpi_id FROM {r["availability"]} WHERE NOT is_available),
measures AS (
    SELECT a.la_code, c.kpi_id, c.unit, i.kpi_id IS NOT NULL AS implemented
    FROM authorities a CROSS JOIN {r["catalogue"]} c LEFT JOIN implemented i ON i.kpi_id = c.kpi_id
),
levels AS (
    SELECT DISTINCT la_code, 'la' AS breakdown, la_code AS breakdown_id FROM authorities
    UNION
    SELECT DISTINCT la_code, 'service_area', service_area_id FROM {r["teams"]}
    UNION
    SELECT la_code, 'team', team_id FROM {r["teams"]} t
    WHERE NOT EXISTS (SELECT 1 FROM {r["teams"]} c WHERE c.la_code = t.la_code
                      AND c.service_area_id = t.team_id AND c.team_id <> t.team_id)
),
expected AS (
    SELECT m.la_code, m.kpi_id, p.period_type, p.period_start, l.breakdown, l.breakdown_id
    FROM measures m
    JOIN {r["periods"]} p ON p.la_code = m.la_code
    JOIN levels l ON l.la_code = m.la_code
    WHERE m.implemented
),
present AS (
    SELECT la_code, kpi_id, period_type, period_start::DATE AS period_start, breakdown, breakdown_id,
           count(*) AS n
    FROM {r["scorecard"]} {where}
    GROUP BY ALL
),
coverage AS (
    SELECT coalesce(e.la_code, p.la_code) AS la_code, coalesce(e.kpi_id, p.kpi_id) AS kpi_id,
           count(e.kpi_id) AS expected_rows,
           count(*) FILTER (WHERE e.kpi_id IS NOT NULL AND p.kpi_id IS NOT NULL) AS matched_rows,
           count(*) FILTER (WHERE e.kpi_id IS NOT NULL AND p.kpi_id IS NULL) AS missing_rows,
           count(*) FILTER (WHERE e.kpi_id IS NULL) AS unexpected_rows,
           coalesce(sum(p.n - 1) FILTER (WHERE p.n > 1), 0) AS duplicate_rows
    FROM expected e
    FULL JOIN present p
      ON p.la_code = e.la_code AND p.kpi_id = e.kpi_id AND p.period_type = e.period_type
     AND p.period_start = e.period_start::DATE AND p.breakdown = e.breakdown
     AND p.breakdown_id = e.breakdown_id
    GROUP BY ALL
),
series AS (
    -- months between consecutive periods of one series: 1 for months, 3 quarters, 12 years
    SELECT la_code, kpi_id, period_type,
           date_diff('month', lag(period_start) OVER w, period_start) AS step
    FROM present
    WINDOW w AS (PARTITION BY la_code, kpi_id, period_type, breakdown, breakdown_id ORDER BY period_start)
),
gaps AS (
    SELECT la_code, kpi_id,
           count(*) FILTER (WHERE step > CASE period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 3 ELSE 12 END)
               AS period_gaps
    FROM series GROUP BY ALL
),
values_check AS (
    SELECT s.la_code, s.kpi_id, count(*) AS scorecard_rows,
           count(*) FILTER (WHERE s.unit = 'percentage' AND (
               (s.denominator > 0 AND (s.value IS NULL
                   OR abs(s.value - 100.0 * s.numerator / s.denominator) > {VALUE_TOLERANCE}))
               OR (coalesce(s.denominator, 0) = 0 AND s.value IS NOT NULL))) AS value_mismatches,
           count(*) FILTER (WHERE s.unit IN ('percentage', 'rate_10k') AND s.numerator > s.denominator
                            AND NOT list_contains({_varchar_list(may_exceed_100())}, s.kpi_id))
               AS numerator_over_denominator,
           count(*) FILTER (WHERE s.numerator < 0 OR s.denominator < 0) AS negative_values,
           count(*) FILTER (WHERE NOT s.is_available) AS not_available_rows,
           -- not available: nothing measured and a reason; available: a numerator (0 when
           -- nothing was counted) and no reason
           count(*) FILTER (WHERE s.is_available IS NULL
               OR (NOT s.is_available AND (s.numerator IS NOT NULL OR s.denominator IS NOT NULL
                   OR s.value IS NOT NULL OR s.rag IS NOT NULL OR s.direction IS NOT NULL
                   OR s.not_available_reason IS NULL))
               OR (s.is_available AND (s.numerator IS NULL OR s.not_available_reason IS NOT NULL)))
               AS availability_mismatches,
           -- availability is per authority and measure: every row agrees (minority rows counted)
           least(count(*) FILTER (WHERE s.is_available), count(*) FILTER (WHERE NOT s.is_available))
               AS availability_conflicts,
           bool_and(s.is_available) AS available
    FROM {r["scorecard"]} s {where.replace("la_code", "s.la_code")}
    GROUP BY ALL
)
SELECT m.la_code, m.kpi_id, m.unit, m.implemented,
       coalesce(c.expected_rows, 0)::BIGINT AS expected_rows,
       coalesce(v.scorecard_rows, 0)::BIGINT AS scorecard_rows,
       coalesce(c.missing_rows, 0)::BIGINT AS missing_rows,
       coalesce(c.unexpected_rows, 0)::BIGINT AS unexpected_rows,
       coalesce(c.duplicate_rows, 0)::BIGINT AS duplicate_rows,
       coalesce(g.period_gaps, 0)::BIGINT AS period_gaps,
       coalesce(v.value_mismatches, 0)::BIGINT AS value_mismatches,
       coalesce(v.numerator_over_denominator, 0)::BIGINT AS numerator_over_denominator,
       coalesce(v.negative_values, 0)::BIGINT AS negative_values,
       coalesce(v.not_available_rows, 0)::BIGINT AS not_available_rows,
       coalesce(v.availability_mismatches, 0)::BIGINT AS availability_mismatches,
       coalesce(v.availability_conflicts, 0)::BIGINT AS availability_conflicts,
       v.available,
       coalesce(v.scorecard_rows, 0) > 0 AS published
FROM measures m
LEFT JOIN coverage c ON c.la_code = m.la_code AND c.kpi_id = m.kpi_id
LEFT JOIN gaps g ON g.la_code = m.la_code AND g.kpi_id = m.kpi_id
LEFT JOIN values_check v ON v.la_code = m.la_code AND v.kpi_id = m.kpi_id
ORDER BY m.la_code, m.kpi_id
"""


def kpi_completeness_frames(
    con: Any, relations: dict[str, str] | None = None
) -> Iterator[tuple[str, Any]]:
    r = {**KPI_RELATIONS, **(relations or {})}
    codes = [
        row[0]
        for row in con.execute(f"SELECT DISTINCT la_code FROM {r['periods']} ORDER BY 1").fetchall()
    ]
    for code in codes:
        yield code, con.execute(kpi_completeness_sql(relations, code)).df()
