"""The DfE validators' findings on the current return files, for the data-quality report.

For each authority, collection (``ssda903``, ``cin``) and return year with a current version
(``raw_meta.current_versions``), the validator runs once on that version's files, in its own
environment (``venv.py``, ``runner.py``), and this module writes:

* ``quality.dfe_validator_runs``: one row per run x authority x collection x return year:
  ``status`` ``ok | failed | timeout | not_run``, the ruleset used, rules run, rules that could not
  run on the data, rules excluded, findings, seconds, and the error (type and message only);
* ``quality.dfe_findings``: one row per finding: rule, message, table, column, file and line
  (CSV) or row, and the child as the keyed pseudonym ingestion gives the same identifier
  (``person|<la_code>|<id>``), never the identifier itself.

Findings are warnings for the return's owner: they never hold back publication (nothing here is
written to ``quality.check_results``, which the gate reads). The NDJSON the runner writes holds
the identifiers in clear; it lives in a temporary folder of the working folder for the time of
the load only.
"""

from __future__ import annotations

import csv
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from orchestration.lib.dfe.venv import RUNNER, DfeEnvironmentError, child_env, ensure_venv
from orchestration.lib.quality.results import SCHEMA

HERE = Path(__file__).resolve().parent
EXCLUDED_RULES = HERE / "excluded_rules.csv"
COLLECTIONS = ("ssda903", "cin")
FIRST_LINES = 10  # file:line of the first findings of a rule shown in the report

DDL = [
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dfe_validator_runs (
        run_id VARCHAR, checked_at TIMESTAMP, la_code VARCHAR, collection VARCHAR, return_year INTEGER,
        source_files VARCHAR[], ruleset VARCHAR, status VARCHAR, rules_run BIGINT, rules_skipped BIGINT,
        rules_failed VARCHAR,
        rules_excluded VARCHAR, findings BIGINT, seconds DOUBLE, error VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dfe_findings (
        run_id VARCHAR, la_code VARCHAR, collection VARCHAR, return_year INTEGER, rule_code VARCHAR,
        message VARCHAR, table_name VARCHAR, column_name VARCHAR, source_file VARCHAR, child_key VARCHAR,
        row_id BIGINT, line BIGINT)""",
    # warehouses from before rules_skipped
    f"ALTER TABLE {SCHEMA}.dfe_validator_runs ADD COLUMN IF NOT EXISTS rules_skipped BIGINT",
]

# The runner's NDJSON, read with explicit types (a file of no findings still has its columns).
NDJSON_COLUMNS = {
    "rule_code": "VARCHAR",
    "message": "VARCHAR",
    "table_name": "VARCHAR",
    "column_name": "VARCHAR",
    "file": "VARCHAR",
    "child_id": "VARCHAR",
    "row_id": "BIGINT",
    "line": "BIGINT",
}


def ensure_tables(con: Any) -> None:
    for ddl in DDL:
        con.execute(ddl)


def excluded_rules(collection: str) -> list[str]:
    with EXCLUDED_RULES.open(newline="", encoding="utf-8") as f:
        return [r["rule_code"] for r in csv.DictReader(f) if r["collection"] == collection]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def plan(con: Any) -> list[dict]:
    """Each authority's current return versions: one entry per collection and return year, with its files."""
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_meta' "
        "AND table_name = 'current_versions'"
    ).fetchall()[0][0]
    if not has:
        return []
    cur = con.execute(
        """SELECT la_code, collection, return_year, list(DISTINCT source_file ORDER BY source_file) AS files
           FROM raw_meta.current_versions
           WHERE collection IN ('ssda903', 'cin') AND return_year IS NOT NULL
           GROUP BY ALL ORDER BY ALL"""
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def record_run(
    con: Any,
    run_id: str,
    item: dict,
    status: str,
    *,
    ruleset: str | None = None,
    rules_run: int | None = None,
    rules_skipped: int | None = None,
    rules_failed: list[str] | None = None,
    findings: int | None = None,
    seconds: float | None = None,
    error: str | None = None,
) -> None:
    con.execute(
        f"""INSERT INTO {SCHEMA}.dfe_validator_runs (run_id, checked_at, la_code, collection, return_year,
              source_files, ruleset, status, rules_run, rules_skipped, rules_failed, rules_excluded, findings,
              seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            run_id,
            _now(),
            item["la_code"],
            item["collection"],
            item["return_year"],
            list(item["files"]),
            ruleset,
            status,
            rules_run,
            rules_skipped,
            ", ".join(rules_failed) if rules_failed else None,
            ", ".join(excluded_rules(item["collection"])) or None,
            findings,
            seconds,
            error,
        ],
    )


def load_findings(con: Any, run_id: str, item: dict, ndjson: Path, pseudonym_key: str) -> int:
    """Insert the runner's NDJSON as quality.dfe_findings rows (child pseudonymised); returns the rows."""
    from orchestration.lib.contract import value_conventions
    from orchestration.lib.ingest.sql import clean
    from orchestration.lib.pseudonymise import configure_pseudonyms

    configure_pseudonyms(con, pseudonym_key)
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in NDJSON_COLUMNS.items()) + "}"
    child = clean(
        "child_id", value_conventions()
    )  # as ingestion cleans an identifier before hashing it
    before = con.execute(
        f"SELECT count(*) FROM {SCHEMA}.dfe_findings WHERE run_id = ?", [run_id]
    ).fetchall()[0][0]
    con.execute(
        f"""INSERT INTO {SCHEMA}.dfe_findings
            SELECT $run_id, $la_code, $collection, $return_year, rule_code, message, table_name, column_name,
                   -- the landing path of the file the finding is in (the runner knows file names only)
                   coalesce(list_filter($files::VARCHAR[], lambda s: parse_filename(s) = file)[1], file),
                   CASE WHEN ({child}) IS NOT NULL THEN cscw_pseudonym('person|' || $la_code || '|' || ({child})) END,
                   row_id, line
            FROM read_json($path, format = 'newline_delimited', columns = {columns})""",
        {
            "run_id": run_id,
            "la_code": item["la_code"],
            "collection": item["collection"],
            "return_year": item["return_year"],
            "files": list(item["files"]),
            "path": str(ndjson),
        },
    )
    after = con.execute(
        f"SELECT count(*) FROM {SCHEMA}.dfe_findings WHERE run_id = ?", [run_id]
    ).fetchall()[0][0]
    return after - before


def run_one(python: Path, item: dict, landing: Path, out: Path, timeout: int) -> dict:
    """Run the validator on one return's files; the runner's summary, or status and error."""
    files = [landing / f for f in item["files"]]
    gone = [f for f in item["files"] if not (landing / f).is_file()]
    if gone:
        return {
            "status": "failed",
            "error": f"file(s) no longer in the landing area: {', '.join(gone)}",
        }
    cmd = [
        str(python),
        "-I",
        str(RUNNER),
        "--collection",
        item["collection"],
        "--year",
        str(item["return_year"]),
        "--exclude",
        ",".join(excluded_rules(item["collection"])),
        "--out",
        str(out),
        *map(str, files),
    ]
    try:
        done = subprocess.run(
            cmd, check=False, env=child_env(), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {
            "status": "timeout",
            "error": f"the validator took over {timeout}s (CSCW_DFE_TIMEOUT)",
        }
    lines = [ln for ln in done.stdout.strip().splitlines() if ln.startswith("{")]
    summary = json.loads(lines[-1]) if lines else {}
    if done.returncode != 0 or "error" in summary or not lines:
        error = summary.get("error") or f"the runner exited with {done.returncode}"
        return {
            "status": "failed",
            "error": error,
            **{k: v for k, v in summary.items() if k != "error"},
        }
    return {"status": "ok", **summary}


def run_validators(
    connect: Callable, run_id: str, settings: Any, log: Callable[[str], None] = print
) -> dict:
    """Run the validators on every current return and record runs and findings for ``run_id``.

    ``connect()`` is a context manager yielding the warehouse connection: it is held only to read
    the plan and to write results, never while a validator runs. Returns counts by status.
    """
    with connect() as con:
        ensure_tables(con)
        for table in ("dfe_validator_runs", "dfe_findings"):
            con.execute(f"DELETE FROM {SCHEMA}.{table} WHERE run_id = ?", [run_id])
        items = plan(con)
        if not settings.dfe_validators:
            for item in items:
                record_run(
                    con,
                    run_id,
                    item,
                    "not_run",
                    error="CSCW_DFE_VALIDATORS is off (the default); see docs/dfe_validators.md",
                )
            return {"not_run": len(items)}
    if not items:
        return {}
    counts: dict[str, int] = {}
    try:
        python = ensure_venv(settings.dfe_venv, log=log)
        env_error = None
    except DfeEnvironmentError as exc:
        python, env_error = None, str(exc)
        log(f"DfE validators not run: {exc}")
    settings.home.mkdir(parents=True, exist_ok=True)
    for item in items:
        # the NDJSON holds children's identifiers in clear: only until it is loaded
        with tempfile.TemporaryDirectory(prefix="dfe-", dir=settings.home) as tmp:
            out = Path(tmp) / "findings.ndjson"
            started = time.perf_counter()
            result = (
                {"status": "failed", "error": env_error}
                if python is None
                else run_one(python, item, settings.landing, out, settings.dfe_timeout)
            )
            seconds = round(time.perf_counter() - started, 3)
            with connect() as con:
                found = (
                    load_findings(con, run_id, item, out, settings.pseudonym_key)
                    if result["status"] == "ok"
                    else None
                )
                record_run(
                    con,
                    run_id,
                    item,
                    result["status"],
                    ruleset=result.get("ruleset"),
                    rules_run=result.get("rules_run"),
                    rules_skipped=result.get("rules_skipped"),
                    rules_failed=result.get("rules_failed"),
                    findings=found,
                    seconds=seconds,
                    error=result.get("error"),
                )
        counts[result["status"]] = counts.get(result["status"], 0) + 1
        log(
            f"DfE validator {item['collection']} {item['return_year']} for {item['la_code']}: {result['status']}"
            + (f", {found} finding(s)" if found is not None else f" ({result.get('error')})")
        )
    return counts


# --------------------------------------------------------------------------------------
# The report's section
# --------------------------------------------------------------------------------------


def dfe_section(con: Any, run_id: str, la_code: str) -> Markup:
    """HTML: each return's validator run and its findings counted by rule, for one authority."""
    from orchestration.lib.quality.quality_report import query_rows, render

    ensure_tables(con)
    runs = query_rows(
        con,
        f"""SELECT CASE collection WHEN 'ssda903' THEN 'SSDA903' WHEN 'cin' THEN 'CIN census'
                                 ELSE collection END AS return_name, return_year, ruleset, status, rules_run,
                                 rules_skipped, rules_failed, findings,
                                 round(seconds, 1)::VARCHAR AS seconds, error, array_to_string(source_files, ', ') AS files
                          FROM {SCHEMA}.dfe_validator_runs WHERE run_id = ? AND la_code = ?
                          ORDER BY collection, return_year""",
        [run_id, la_code],
    )
    if not runs or all(r["status"] == "not_run" for r in runs):
        return render("section_dfe.html.j2", runs=runs, by_rule=[])
    by_rule = query_rows(
        con,
        f"""SELECT CASE collection WHEN 'ssda903' THEN 'SSDA903' WHEN 'cin' THEN 'CIN census'
                                    ELSE collection END AS return_name, return_year, rule_code,
                                    any_value(message) AS message, string_agg(DISTINCT table_name, ', ') AS tables,
                                    count(*) AS findings, count(DISTINCT child_key) AS children,
                                    array_to_string(list_slice(
                                        list(parse_filename(source_file) || ':' || line ORDER BY source_file, line)
                                            FILTER (WHERE line IS NOT NULL), 1, {FIRST_LINES}), ', ')
                                        || CASE WHEN count(line) > {FIRST_LINES} THEN ', ...' ELSE '' END AS lines
                             FROM {SCHEMA}.dfe_findings WHERE run_id = ? AND la_code = ?
                             GROUP BY collection, return_year, rule_code
                             ORDER BY collection, return_year, findings DESC, rule_code""",
        [run_id, la_code],
    )
    return render("section_dfe.html.j2", runs=runs, by_rule=by_rule)
