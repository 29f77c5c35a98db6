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
  and the trend over previous runs): self-contained HTML, no scripts or remote assets.
* ``<quality_dir>/data_docs/index.html``: links to the GX Data Docs site of each suite.

All the numbers are aggregates computed in DuckDB; nothing large is pulled into Python.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_meta' AND table_name = 'authority_state'"
    ).fetchall()[0][0])


def write_tables(con: Any, run_id: str) -> None:
    """Replace this run's rows of quality.dq_report and quality.dq_quarantine_reasons."""
    ensure_report_tables(con)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
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
# HTML
# --------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem;color:#1b1b1b;max-width:1400px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin:.5rem 0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.critical{background:#f8d0d0}.warning{background:#fff1c2}.info{background:#e4efff}.ok{background:#e3f4e3}
.muted{color:#666;font-size:.85rem}details{margin:.25rem 0 .75rem 1rem}summary{cursor:pointer}
code{font-size:.85em}
"""


def _e(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2%}" if value <= 1 else f"{value:g}"
    return html.escape(str(value))


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def _rows(con: Any, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _table(rows: list[dict], columns: list[tuple[str, str]], row_class=None) -> str:
    if not rows:
        return "<p class='muted'>none</p>"
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in columns)
    body = []
    for r in rows:
        cls = row_class(r) if row_class else ""
        cells = "".join(
            f"<td class='n'>{_e(r[c])}</td>" if isinstance(r[c], (int, float)) and not isinstance(r[c], bool)
            else f"<td>{_e(r[c])}</td>"
            for c, _ in columns
        )
        body.append(f"<tr class='{cls}'>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _severity_class(r: dict) -> str:
    return r.get("worst_severity") or "ok"


SUMMARY_COLUMNS = [
    ("table_name", "table"), ("delivered", "delivered"), ("extract_date", "extract date"),
    ("rows_read", "rows read"), ("rows_loaded", "loaded"), ("rows_quarantined", "quarantined"),
    ("quarantine_rate", "quarantine rate"), ("quarantine_by_reason", "quarantined by reason"),
    ("files_failed", "files failed"), ("volume_change", "volume change"),
    ("expectations_passed", "expectations passed"), ("expectations_failed", "failed"),
    ("worst_severity", "worst severity"),
]


def _authority_page(con: Any, run_id: str, la_code: str, rows: list[dict], links: str) -> str:
    parts = [f"<h1>Data-quality report: authority {html.escape(la_code)}</h1>",
             f"<p class='muted'>Run <code>{html.escape(run_id)}</code>. {links}</p>",
             "<h2>Tables</h2>", _table(rows, SUMMARY_COLUMNS, _severity_class)]
    parts.append(deliveries_section(con, run_id, la_code))
    parts.append(ingest_notes_section(con, run_id, la_code))
    parts.append(dfe_section(con, run_id, la_code))
    failures = _rows(con, f"""SELECT table_name, severity, check_name, expectation, column_name, unexpected_count,
                                     element_count, observed, description
                              FROM {SCHEMA}.check_results WHERE run_id = ? AND la_code = ? AND NOT success
                              ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                                       table_name, check_name""", [run_id, la_code])
    parts += ["<h2>Failed expectations</h2>", _table(failures, [
        ("severity", "severity"), ("table_name", "table"), ("check_name", "check"), ("expectation", "expectation"),
        ("column_name", "column"), ("unexpected_count", "unexpected"), ("element_count", "of rows"),
        ("observed", "observed"), ("description", "meaning")], lambda r: r["severity"])]
    parts.append("<h2>Each table</h2>")
    for r in rows:
        table = r["table_name"]
        reasons = _rows(con, f"""SELECT reason_class, rows_quarantined, errors, example_reason
                                 FROM {SCHEMA}.dq_quarantine_reasons WHERE run_id = ? AND la_code = ? AND table_name = ?
                                 ORDER BY rows_quarantined DESC""", [run_id, la_code, table])
        sample = _rows(con, f"""SELECT source_file, line, column_name, {REASON_CLASS_SQL} AS reason_class, reason
                                FROM raw_meta.quarantine WHERE la_code = ? AND table_name = ?
                                ORDER BY line LIMIT {SAMPLE_LINES}""", [la_code, table]) if r["source"] != "KPI" else []
        loads = _rows(con, """SELECT extract_date, source_file, format, status, rows_read, rows_loaded, rows_quarantined,
                                     naming, coalesce(message, notes) AS message, run_id, loaded_at
                              FROM raw_meta.load_log WHERE la_code = ? AND table_name = ?
                              ORDER BY loaded_at DESC LIMIT ?""", [la_code, table, TREND_RUNS])
        trend = _rows(con, f"""SELECT run_id, reported_at, extract_date, rows_read, rows_loaded, rows_quarantined,
                                      quarantine_rate, expectations_failed, worst_severity
                               FROM {SCHEMA}.dq_report WHERE la_code = ? AND table_name = ?
                               ORDER BY reported_at DESC LIMIT ?""", [la_code, table, TREND_RUNS + 1])
        parts.append(
            f"<details><summary class='{_severity_class(r)}'><b>{html.escape(table)}</b>: "
            f"{_e(r['rows_read'])} read, {_e(r['rows_loaded'])} loaded, {_e(r['rows_quarantined'])} quarantined; "
            f"{r['expectations_failed']} expectation(s) failed</summary>"
            + (f"<p>File failure: {_e(r['file_failure'])}</p>" if r.get("file_failure") else "")
            + "<h3>Quarantined by reason</h3>" + _table(reasons, [
                ("reason_class", "reason"), ("rows_quarantined", "rows"), ("errors", "errors"),
                ("example_reason", "example")])
            + (f"<h3>First {SAMPLE_LINES} quarantined lines</h3>" + _table(sample, [
                ("source_file", "file"), ("line", "line"), ("column_name", "column"),
                ("reason_class", "reason"), ("reason", "detail")]) if sample else "")
            + "<h3>Loads of this table (newest first)</h3>" + _table(loads, [
                ("extract_date", "extract date"), ("source_file", "file"), ("format", "format found"),
                ("status", "status"), ("rows_read", "read"), ("rows_loaded", "loaded"), ("rows_quarantined", "quarantined"),
                ("naming", "column names of"), ("message", "message / notes"), ("run_id", "run"),
                ("loaded_at", "at")])
            + "<h3>Trend over runs (newest first)</h3>" + _table(trend, [
                ("run_id", "run"), ("reported_at", "reported"), ("extract_date", "extract date"),
                ("rows_read", "read"), ("rows_loaded", "loaded"), ("rows_quarantined", "quarantined"),
                ("quarantine_rate", "rate"), ("expectations_failed", "failed"), ("worst_severity", "worst")],
                _severity_class)
            + "</details>"
        )
    return _page(f"Data quality {la_code}", "".join(parts))


def write_data_docs_index(quality_dir: Path) -> Path:
    docs = quality_dir / "data_docs"
    docs.mkdir(parents=True, exist_ok=True)
    sites = sorted(p.parent.name for p in docs.glob("*/index.html"))
    items = "".join(f"<li><a href='{html.escape(s)}/index.html'>{html.escape(s)}</a></li>" for s in sites)
    index = docs / "index.html"
    index.write_text(_page("Great Expectations Data Docs",
                           "<h1>Great Expectations Data Docs</h1><p>One site per suite (latest runs):</p>"
                           f"<ul>{items or '<li>none yet</li>'}</ul>"), encoding="utf-8")
    return index


def build_report(con: Any, run_id: str, quality_dir: Path) -> Path:
    """Write the report tables for ``run_id`` and the HTML; returns the index.html path."""
    quality_dir = Path(quality_dir)
    write_tables(con, run_id)
    write_deliveries(con, run_id)
    write_ingest_notes(con, run_id)
    out = quality_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    docs_index = write_data_docs_index(quality_dir)
    rows = _rows(con, f"SELECT * FROM {SCHEMA}.dq_report WHERE run_id = ? ORDER BY la_code, table_name", [run_id])
    for r in rows:
        if r.get("quarantine_by_reason"):
            reasons = json.loads(r["quarantine_by_reason"])
            r["quarantine_by_reason"] = ", ".join(f"{k} {v}" for k, v in reasons.items())
    by_la: dict[str, list[dict]] = {}
    for r in rows:
        by_la.setdefault(r["la_code"], []).append(r)
    links = "<a href='index.html'>All authorities</a> · <a href='../data_docs/index.html'>GX Data Docs</a>"
    summary = []
    for la_code, la_rows in by_la.items():
        (out / f"{la_code}.html").write_text(_authority_page(con, run_id, la_code, la_rows, links), encoding="utf-8")
        worst = min((r["worst_severity"] for r in la_rows if r["worst_severity"]),
                    key=lambda s: {"critical": 0, "warning": 1, "info": 2}[s], default=None)
        summary.append({
            "la_code": la_code, "tables": len(la_rows),
            "rows_read": sum(r["rows_read"] or 0 for r in la_rows),
            "rows_loaded": sum(r["rows_loaded"] or 0 for r in la_rows),
            "rows_quarantined": sum(r["rows_quarantined"] or 0 for r in la_rows),
            "not_delivered": sum(1 for r in la_rows if r["delivered"] is False),
            "files_failed": sum(r["files_failed"] or 0 for r in la_rows),
            "expectations_failed": sum(r["expectations_failed"] or 0 for r in la_rows),
            "worst_severity": worst,
        })
    checks = _rows(con, f"""SELECT check_name, count(*) AS results,
                                   count(*) FILTER (WHERE NOT success AND severity = 'critical') AS critical,
                                   count(*) FILTER (WHERE NOT success AND severity = 'warning') AS warning,
                                   count(*) FILTER (WHERE NOT success AND severity = 'info') AS info
                            FROM {SCHEMA}.check_results WHERE run_id = ? GROUP BY ALL ORDER BY 1""", [run_id])
    for c in checks:
        c["worst_severity"] = "critical" if c["critical"] else "warning" if c["warning"] else "info" if c["info"] else None
    # dbt's row-level rules (keys, relationships, code lists), per authority when attributable
    dbt_not_passed = _rows(con, f"""SELECT coalesce(la_code, 'all') AS la_code, table_name, expectation, column_name,
                                          severity, unexpected_count, observed,
                                          severity AS worst_severity
                                   FROM {SCHEMA}.check_results
                                   WHERE run_id = ? AND check_name = 'dbt_tests' AND NOT success
                                   ORDER BY severity, table_name, expectation, la_code""", [run_id])
    body = (
        "<h1>Data-quality report</h1>"
        f"<p class='muted'>Run <code>{html.escape(run_id)}</code>, built "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. A critical failure holds back its authority (all "
        "authorities when it cannot be attributed to one); warnings are published and recorded. Details per "
        "authority below; expectation results in "
        f"<a href='../data_docs/index.html'>the GX Data Docs</a>. Tables: <code>quality.dq_report</code>, "
        "<code>quality.dq_quarantine_reasons</code>, <code>quality.check_results</code>.</p>"
        + verdicts_section(con, run_id)
        + accepted_changes_section(con, run_id)
        + "<h2>Checks</h2>" + _table(checks, [("check_name", "check"), ("results", "results"), ("critical", "critical"),
                                            ("warning", "warning"), ("info", "info")], _severity_class)
        + "<h2>Authorities</h2>"
        + _table(summary, [("la_code", "authority"), ("tables", "tables"), ("rows_read", "rows read"),
                           ("rows_loaded", "loaded"), ("rows_quarantined", "quarantined"),
                           ("not_delivered", "tables not delivered"), ("files_failed", "files failed"),
                           ("expectations_failed", "expectations failed"), ("worst_severity", "worst")],
                 _severity_class).replace("<td>", "<td>", 1)
        + "<ul>" + "".join(f"<li><a href='{html.escape(la)}.html'>Authority {html.escape(la)}</a></li>" for la in by_la)
        + "</ul>"
        + "<h2>dbt rules not passed</h2>"
        + "<p class='muted'>Keys, relationships within the authority and code lists, checked by dbt on the "
        "conformed layer; the query behind each is in the dbt project, its failing rows in schema "
        "<code>audit</code>. Warnings publish; an error holds back the authorities whose rows fail it "
        "(all of them when its rows carry no authority).</p>"
        + _table(dbt_not_passed, [("la_code", "authority"), ("table_name", "model"), ("expectation", "rule"),
                                  ("column_name", "column"),
                                  ("severity", "severity"), ("unexpected_count", "failing rows"),
                                  ("observed", "detail")], _severity_class)
    )
    index = out / "index.html"
    index.write_text(_page("Data-quality report", body), encoding="utf-8")
    del docs_index
    return index


# --------------------------------------------------------------------------------------
# Verdicts (quality.verdicts, written by the gate before the report)
# --------------------------------------------------------------------------------------

VERDICT_CLASS = {"held_back": "critical", "published": "ok", "unchanged": "info"}


def verdicts_section(con: Any, run_id: str) -> str:
    """The index's table of each authority's verdict for the run, held-back ones first."""
    from orchestration.lib.quality.verdicts import ensure_verdicts_table

    ensure_verdicts_table(con)
    rows = _rows(con, f"""SELECT la_code, verdict, reasons FROM {SCHEMA}.verdicts WHERE run_id = ?
                         ORDER BY verdict <> 'held_back', la_code""", [run_id])
    return ("<h2>Verdicts</h2><p class='muted'>Published: the authority's new drop is published. Unchanged: no "
            "new drop; its rows are published again. Held back: the previously published rows of the "
            "authority stay (none if it never published) until a drop passes.</p>"
            + _table(rows, [("la_code", "authority"), ("verdict", "verdict"), ("reasons", "why")],
                     lambda r: VERDICT_CLASS.get(r["verdict"], "")))


def accepted_changes_section(con: Any, run_id: str) -> str:
    """Drift against the last publication that a person accepted for this run (`cscw run
    --accept-change LA[:measure]`): recorded as info by the drift check, never blocking."""
    from orchestration.lib.quality.drift import ACCEPTED_TEXT, CHECK_NAME

    rows = _rows(con, f"""SELECT la_code, expectation, unexpected_count, observed FROM {SCHEMA}.check_results
                         WHERE run_id = ? AND check_name = ? AND severity = 'info'
                           AND observed LIKE '{ACCEPTED_TEXT}%' ORDER BY la_code, expectation""",
                 [run_id, CHECK_NAME])
    return ("<h2>Accepted changes</h2><p class='muted'>Drift against the last publication accepted with "
            "<code>cscw run --accept-change LA[:measure]</code>: published, and recorded here and in "
            "<code>quality.check_results</code> (check <code>drift_publication</code>, severity info).</p>"
            + _table(rows, [("la_code", "authority"), ("expectation", "change"), ("unexpected_count", "items"),
                            ("observed", "what changed")]))
