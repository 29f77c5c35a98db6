"""dbt test outcomes as rows of ``quality.check_results``, judged per authority.

One row per test of the ``dbt test`` invocation: check ``dbt_tests``, suite ``dbt``, the tested
model as ``table_name``; dbt's ``error`` severity is ``critical``, ``warn`` is ``warning``.

A test that passed is one row with ``la_code`` NULL. A test that did not pass is judged per
authority from its stored failing rows (``store_failures``, views in schema ``audit``): one row
per ``la_code`` among those rows, with dbt's own rule applied to that authority's rows alone
(``fail_calc``, then ``error_if`` / ``warn_if``). A failing test whose rows carry no ``la_code``
(or whose rows cannot be read, or that errored) is one row with ``la_code`` NULL, which the
quality gate applies to every authority.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from orchestration.lib.sqltext import qualified

CHECK_NAME = "dbt_tests"


def _tested_model(node: dict) -> str | None:
    attached = node.get("attached_node") or (
        node.get("config", {}).get("meta", {}).get("dagster", {}).get("ref", {}).get("name")
    )
    if attached:
        return attached.split(".")[-1]
    models = [d for d in node.get("depends_on", {}).get("nodes", []) if d.startswith("model.")]
    return models[0].split(".")[-1] if len(models) == 1 else None


def _audit_relation(result: dict, node: dict) -> str | None:
    """schema.identifier of the stored failures (dbt names it with the catalog, which differs
    between dbt's connection and ours): from run_results, else from the node."""
    parts = re.findall(r'"((?:[^"]|"")*)"', result.get("relation_name") or "")
    if len(parts) >= 2:
        schema, name = parts[-2], parts[-1]
    elif node.get("config", {}).get("store_failures") and node.get("schema") and node.get("alias"):
        schema, name = node["schema"], node["alias"]
    else:
        return None
    return qualified(schema, name)


def failures_by_authority(con: Any, relation: str, config: dict) -> list[tuple] | None:
    """[(la_code, failing rows, over error_if, over warn_if, rows checked)] from a test's stored
    failing rows, or None when the rows carry no la_code. dbt's own thresholds, applied to each
    authority alone. Tests judged on a share (``dates_in_order``) store the rows checked per
    authority as ``dq_rows_checked``; other tests leave it NULL."""
    columns = {r[0].lower() for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    if "la_code" not in columns:
        return None
    fail_calc = config.get("fail_calc") or "count(*)"
    error_if = config.get("error_if") or "!= 0"
    warn_if = config.get("warn_if") or "!= 0"
    checked = "max(dq_rows_checked)" if "dq_rows_checked" in columns else "NULL"
    return con.execute(
        f"""SELECT la_code, count(*) AS failures, ({fail_calc}) {error_if} AS over_error,
                   ({fail_calc}) {warn_if} AS over_warn, {checked} AS rows_checked
            FROM {relation} GROUP BY la_code ORDER BY la_code NULLS FIRST"""
    ).fetchall()


def dbt_test_rows(
    run_results: dict,
    manifest: dict,
    run_id: str,
    checked_at: datetime | None = None,
    con: Any = None,
) -> list[tuple]:
    """Rows (in ``results.COLUMNS`` order) for every data test in a dbt ``run_results.json``.
    With ``con`` (the warehouse), tests that did not pass are attributed to authorities."""
    checked_at = checked_at or datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for result in run_results.get("results", []):
        node = manifest.get("nodes", {}).get(result["unique_id"])
        if not node or node.get("resource_type") != "test":
            continue
        status = result.get("status")
        config = node.get("config", {})
        is_error = str(config.get("severity", "error")).lower() != "warn"
        severity = "critical" if is_error else "warning"
        metadata = node.get("test_metadata") or {}
        column = node.get("column_name") or (metadata.get("kwargs") or {}).get("column_name")
        passed = status == "pass"
        head = (run_id, checked_at, CHECK_NAME, "dbt")
        what = (_tested_model(node), metadata.get("name") or node.get("name"), column)
        description = node.get("description") or node.get("name")
        by_authority = None
        relation = _audit_relation(result, node)
        if not passed and status in ("fail", "warn") and con is not None and relation:
            try:
                by_authority = failures_by_authority(con, relation, config)
            except Exception:  # noqa: BLE001 - unreadable rows: judged for every authority below
                by_authority = None
        if by_authority is None:
            rows.append(
                head
                + (None,)
                + what
                + (
                    severity,
                    passed,
                    None if passed else result.get("failures"),
                    None,
                    None if passed else f"{status}: {(result.get('message') or '')[:450]}",
                    description,
                )
            )
            continue
        for la_code, failures, over_error, over_warn, checked in by_authority:
            level = "critical" if is_error and over_error else "warning" if over_warn else None
            share = f" of {checked} checked ({100 * failures / checked:.1f}%)" if checked else ""
            rows.append(
                head
                + (la_code,)
                + what
                + (
                    level or severity,
                    level is None,
                    failures,
                    checked,
                    None if level is None else f"{failures} failing rows{share} in {relation}",
                    description,
                )
            )
    return rows
