"""The auditors' data-quality report, one per run.

``build_report(con, run_id, quality_dir)`` writes

* ``quality.dq_report``: one row per run x authority x table (every contract table, plus one
  ``kpi_scorecard`` row per authority): rows read / loaded / quarantined of the current
  version, quarantine by reason (JSON), files that failed, volume change against the previous
  drop, expectations passed / failed (from ``quality.check_results`` of the run) and the worst
  severity failed. Append-only over runs: the trend is read from it.
* ``quality.dq_quarantine_reasons``: one row per run x authority x table x reason class.
* ``quality.dq_deliveries`` (``deliveries.py``): one row per run x authority x contract table:
  delivered or not, its extract date, and the measures it feeds.
* ``quality.dq_value_notes`` and ``quality.dq_orphans`` (``ingest_notes.py``): values read as
  nothing and references without a parent row, per authority, table and column.
* ``<quality_dir>/report/index.html`` (all authorities) and ``report/<la_code>.html`` (each
  table, its quarantine reasons with sample lines, failed expectations, loads of the table
  and the trend over previous runs): self-contained HTML, no scripts or remote assets,
  rendered from the Jinja2 templates in ``templates/`` with autoescaping on.
* ``<quality_dir>/data_docs/index.html``: links to the GX Data Docs site of each suite.

All the numbers are aggregates computed in DuckDB; nothing large is pulled into Python.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from orchestration.lib.dfe.findings import dfe_section
from orchestration.lib.quality.aggregates import (
    REASON_CLASS_SQL,
    load_thresholds,
    quarantine_by_reason_sql,
    raw_load_sql,
)
from orchestration.lib.quality.deliveries import deliveries_section, write_deliveries
from orchestration.lib.quality.ingest_notes import ingest_notes_section, write_ingest_notes
from orchestration.lib.quality.results import SCHEMA, ensure_tables
from orchestration.lib.templating import html_environment

DQ_REPORT_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dq_report (
    run_id VARCHAR, reported_at TIMESTAMP, la_code VARCHAR, table_name VARCHAR, source VARCHAR,
    delivered BOOLEAN, extract_date DATE, source_file VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, quarantine_rate DOUBLE,
    quarantine_by_reason VARCHAR, files_failed BIGINT, file_failure VARCHAR,
    previous_extract_date DATE, previous_rows_loaded BIGINT, volume_change DOUBLE,
    expectations_passed BIGINT, expectations_failed BIGINT, worst_severity VARCHAR,
    failed_expectations VARCHAR)"""

REASONS_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dq_quarantine_reasons (
    run_id VARCHAR, la_code VARCHAR, table_name VARCHAR, reason_class VARCHAR,
    rows_quarantined BIGINT, errors BIGINT, example_reason VARCHAR)"""

TREND_RUNS = 10  # previous runs shown per table
SAMPLE_LINES = 20  # quarantined lines listed per table (file, line, column, reason; no values)


def ensure_report_tables(con: Any) -> None:
    ensure_tables(con)
    con.execute(DQ_REPORT_DDL)
    con.execute(REASONS_DDL)


def _has_raw_meta(con: Any) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_meta' AND table_name = 'authority_state'"
        ).fetchall()[0][0]
    )


def write_tables(con: Any, run_id: str) -> None:
    """Replace this run's rows of quality.dq_report and quality.dq_quarantine_reasons."""
    ensure_report_tables(con)
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(f"DELETE FROM {SCHEMA}.dq_report WHERE run_id = ?", [run_id])
    con.execute(f"DELETE FROM {SCHEMA}.dq_quarantine_reasons WHERE run_id = ?", [run_id])
    if not _has_raw_meta(con):
        return
    load_thresholds(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _dq_raw AS {raw_load_sql()}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _dq_reasons AS {quarantine_by_reason_sql()}")
    con.execute(
        f"""INSERT INTO {SCHEMA}.dq_quarantine_reasons
            SELECT ?, la_code, table_name, reason_class, rows_quarantined, errors, example_reason FROM _dq_reasons""",
        [run_id],
    )
    con.execute(
        f"""INSERT INTO {SCHEMA}.dq_report
        WITH results AS (
            SELECT la_code, table_name,
                   count(*) FILTER (WHERE success) AS passed,
                   count(*) FILTER (WHERE NOT success) AS failed,
                   CASE min(CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)
                        FILTER (WHERE NOT success)
                        WHEN 0 THEN 'critical' WHEN 1 THEN 'warning' WHEN 2 THEN 'info' END AS worst,
                   string_agg(DISTINCT severity || ': ' || suite || '.' || expectation
                              || coalesce('(' || column_name || ')', ''), '; ') FILTER (WHERE NOT success) AS failures
            -- per authority and contract table only: dbt's tests are about models, listed on their
            -- own on the index page (and with the authority's failed expectations)
            FROM {SCHEMA}.check_results WHERE run_id = ? AND la_code IS NOT NULL AND check_name <> 'dbt_tests'
            GROUP BY ALL
        ),
        reasons AS (
            SELECT la_code, table_name,
                   to_json(map(list(reason_class ORDER BY reason_class), list(rows_quarantined ORDER BY reason_class)))::VARCHAR AS by_reason
            FROM _dq_reasons GROUP BY ALL
        ),
        base AS (
            SELECT la_code, table_name, source, delivered, extract_date, source_file, rows_read, rows_loaded,
                   rows_quarantined, quarantine_rate, files_failed, failure, previous_extract_date,
                   previous_rows_loaded, volume_change
            FROM _dq_raw
            UNION ALL
            SELECT DISTINCT la_code, table_name, 'KPI', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL
            FROM results WHERE table_name NOT IN (SELECT table_name FROM _dq_raw)
        )
        SELECT ?, ?, b.la_code, b.table_name, b.source, b.delivered, b.extract_date, b.source_file,
               b.rows_read, b.rows_loaded, b.rows_quarantined, b.quarantine_rate,
               coalesce(rs.by_reason, CASE WHEN b.delivered THEN '{{}}' END), b.files_failed, b.failure,
               b.previous_extract_date, b.previous_rows_loaded, b.volume_change,
               coalesce(r.passed, 0), coalesce(r.failed, 0), r.worst, r.failures
        FROM base b
        LEFT JOIN results r ON r.la_code = b.la_code AND r.table_name = b.table_name
        LEFT JOIN reasons rs ON rs.la_code = b.la_code AND rs.table_name = b.table_name
        ORDER BY b.la_code, b.table_name""",
        [run_id, run_id, now],
    )


# --------------------------------------------------------------------------------------
# HTML (templates/: quality_page.html.j2 is the layout, quality_macros.html.j2 the shared table)
# --------------------------------------------------------------------------------------


def is_figure(value: Any) -> bool:
    """A cell that is a number (right-aligned); booleans are not figures."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """A value as the report shows it: nothing for NULL, a float of at most 1 as a percentage
    (rates, volume changes), any other float in its shortest form. The template escapes it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2%}" if value <= 1 else f"{value:g}"
    return str(value)


@cache
def _environment() -> Environment:
    return html_environment(
        "orchestration.lib.quality", filters={"dq_value": cell_text}, tests={"figure": is_figure}
    )


def render(template: str, **context: Any) -> Markup:
    """A page or section of the report rendered from ``templates/<template>`` (autoescaped)."""
    return Markup(_environment().get_template(template).render(**context))


def query_rows(con: Any, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _table_details(con: Any, run_id: str, la_code: str, r: dict) -> dict:
    """One table of an authority's page: quarantine by reason, sample lines, loads, trend."""
    table = r["table_name"]
    return {
        "row": r,
        "reasons": query_rows(
            con,
            f"""SELECT reason_class, rows_quarantined, errors, example_reason
                             FROM {SCHEMA}.dq_quarantine_reasons WHERE run_id = ? AND la_code = ? AND table_name = ?
                             ORDER BY rows_quarantined DESC""",
            [run_id, la_code, table],
        ),
        "sample": query_rows(
            con,
            f"""SELECT source_file, line, column_name, {REASON_CLASS_SQL} AS reason_class, reason
                            FROM raw_meta.quarantine WHERE la_code = ? AND table_name = ?
                            ORDER BY line LIMIT {SAMPLE_LINES}""",
            [la_code, table],
        )
        if r["source"] != "KPI"
        else [],
        "loads": query_rows(
            con,
            """SELECT extract_date, source_file, format, status, rows_read, rows_loaded,
                                 rows_quarantined, naming, coalesce(message, notes) AS message, run_id, loaded_at
                          FROM raw_meta.load_log WHERE la_code = ? AND table_name = ?
                          ORDER BY loaded_at DESC LIMIT ?""",
            [la_code, table, TREND_RUNS],
        ),
        "trend": query_rows(
            con,
            f"""SELECT run_id, reported_at, extract_date, rows_read, rows_loaded, rows_quarantined,
                                  quarantine_rate, expectations_failed, worst_severity
                           FROM {SCHEMA}.dq_report WHERE la_code = ? AND table_name = ?
                           ORDER BY reported_at DESC LIMIT ?""",
            [la_code, table, TREND_RUNS + 1],
        ),
    }


def _authority_page(con: Any, run_id: str, la_code: str, rows: list[dict]) -> str:
    failures = query_rows(
        con,
        f"""SELECT table_name, severity, check_name, expectation, column_name, unexpected_count,
                                     element_count, observed, description
                              FROM {SCHEMA}.check_results WHERE run_id = ? AND la_code = ? AND NOT success
                              ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                                       table_name, check_name""",
        [run_id, la_code],
    )
    sections = [
        deliveries_section(con, run_id, la_code),
        ingest_notes_section(con, run_id, la_code),
        dfe_section(con, run_id, la_code),
    ]
    return render(
        "quality_authority.html.j2",
        run_id=run_id,
        la_code=la_code,
        rows=rows,
        sections=sections,
        failures=failures,
        tables=[_table_details(con, run_id, la_code, r) for r in rows],
        sample_lines=SAMPLE_LINES,
    )


def write_data_docs_index(quality_dir: Path) -> Path:
    docs = quality_dir / "data_docs"
    docs.mkdir(parents=True, exist_ok=True)
    index = docs / "index.html"
    index.write_text(
        render(
            "data_docs_index.html.j2",
            sites=sorted(p.parent.name for p in docs.glob("*/index.html")),
        ),
        encoding="utf-8",
    )
    return index


def build_report(con: Any, run_id: str, quality_dir: Path) -> Path:
    """Write the report tables for ``run_id`` and the HTML; returns the index.html path."""
    quality_dir = Path(quality_dir)
    write_tables(con, run_id)
    write_deliveries(con, run_id)
    write_ingest_notes(con, run_id)
    out = quality_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    write_data_docs_index(quality_dir)
    rows = query_rows(
        con,
        f"SELECT * FROM {SCHEMA}.dq_report WHERE run_id = ? ORDER BY la_code, table_name",
        [run_id],
    )
    for r in rows:
        if r.get("quarantine_by_reason"):
            reasons = json.loads(r["quarantine_by_reason"])
            r["quarantine_by_reason"] = ", ".join(f"{k} {v}" for k, v in reasons.items())
    by_la: dict[str, list[dict]] = {}
    for r in rows:
        by_la.setdefault(r["la_code"], []).append(r)
    summary = []
    for la_code, la_rows in by_la.items():
        (out / f"{la_code}.html").write_text(
            _authority_page(con, run_id, la_code, la_rows), encoding="utf-8"
        )
        worst = min(
            (r["worst_severity"] for r in la_rows if r["worst_severity"]),
            key=lambda s: {"critical": 0, "warning": 1, "info": 2}[s],
            default=None,
        )
        summary.append(
            {
                "la_code": la_code,
                "tables": len(la_rows),
                "rows_read": sum(r["rows_read"] or 0 for r in la_rows),
                "rows_loaded": sum(r["rows_loaded"] or 0 for r in la_rows),
                "rows_quarantined": sum(r["rows_quarantined"] or 0 for r in la_rows),
                "not_delivered": sum(1 for r in la_rows if r["delivered"] is False),
                "files_failed": sum(r["files_failed"] or 0 for r in la_rows),
                "expectations_failed": sum(r["expectations_failed"] or 0 for r in la_rows),
                "worst_severity": worst,
            }
        )
    checks = query_rows(
        con,
        f"""SELECT check_name, count(*) AS results,
                                   count(*) FILTER (WHERE NOT success AND severity = 'critical') AS critical,
                                   count(*) FILTER (WHERE NOT success AND severity = 'warning') AS warning,
                                   count(*) FILTER (WHERE NOT success AND severity = 'info') AS info
                            FROM {SCHEMA}.check_results WHERE run_id = ? GROUP BY ALL ORDER BY 1""",
        [run_id],
    )
    for c in checks:
        c["worst_severity"] = (
            "critical"
            if c["critical"]
            else "warning"
            if c["warning"]
            else "info"
            if c["info"]
            else None
        )
    # dbt's row-level rules (keys, relationships, code lists), per authority when attributable
    dbt_not_passed = query_rows(
        con,
        f"""SELECT coalesce(la_code, 'all') AS la_code, table_name, expectation, column_name,
                                          severity, unexpected_count, observed,
                                          severity AS worst_severity
                                   FROM {SCHEMA}.check_results
                                   WHERE run_id = ? AND check_name = 'dbt_tests' AND NOT success
                                   ORDER BY severity, table_name, expectation, la_code""",
        [run_id],
    )
    index = out / "index.html"
    index.write_text(
        render(
            "quality_index.html.j2",
            run_id=run_id,
            built=f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
            verdicts=verdicts_section(con, run_id),
            accepted_changes=accepted_changes_section(con, run_id),
            checks=checks,
            authorities=summary,
            dbt_not_passed=dbt_not_passed,
        ),
        encoding="utf-8",
    )
    return index


# --------------------------------------------------------------------------------------
# Verdicts (quality.verdicts, written by the gate before the report)
# --------------------------------------------------------------------------------------


def verdicts_section(con: Any, run_id: str) -> Markup:
    """The index's table of each authority's verdict for the run, held-back ones first."""
    from orchestration.lib.quality.verdicts import ensure_verdicts_table

    ensure_verdicts_table(con)
    rows = query_rows(
        con,
        f"""SELECT la_code, verdict, reasons FROM {SCHEMA}.verdicts WHERE run_id = ?
                         ORDER BY verdict <> 'held_back', la_code""",
        [run_id],
    )
    return render("section_verdicts.html.j2", rows=rows)


def accepted_changes_section(con: Any, run_id: str) -> Markup:
    """Drift against the last publication that a person accepted for this run (`cscw run
    --accept-change LA[:measure]`): recorded as info by the drift check, never blocking."""
    from orchestration.lib.quality.drift import ACCEPTED_TEXT, CHECK_NAME

    rows = query_rows(
        con,
        f"""SELECT la_code, expectation, unexpected_count, observed FROM {SCHEMA}.check_results
                         WHERE run_id = ? AND check_name = ? AND severity = 'info'
                           AND observed LIKE '{ACCEPTED_TEXT}%' ORDER BY la_code, expectation""",
        [run_id, CHECK_NAME],
    )
    return render("section_accepted_changes.html.j2", rows=rows)
