"""dbt test outcomes as rows of ``quality.check_results``, judged per authority.

One row per test of the pipeline's ``dbt build``: check ``dbt_tests``, suite ``dbt``, the tested
model as ``table_name``; dbt's ``error`` severity is ``critical``, ``warn`` is ``warning``. The
severity is the one written in the project, read from the manifest the Dagster assets are
defined from (``dbt parse``, default vars), not from the build, which runs every test as a
warning so that no failing test skips the models after it (defs/transform/dbt_assets.py).

A test that passed is one row with ``la_code`` NULL. A test that did not pass is judged per
authority from its stored failing rows (``store_failures``, views in schema ``audit``): one row
per ``la_code`` among those rows, with dbt's own rule applied to that authority's rows alone
(``fail_calc``, then ``error_if`` / ``warn_if``). A failing test whose rows carry no ``la_code``
(or whose rows cannot be read, or that errored) is one row with ``la_code`` NULL, which the
quality gate applies to every authority.

A grouped not-null test (``not_null_columns``: one dbt node for several columns of a model) is
recorded as the columns' own ``not_null`` tests would be: one row per column (expectation
``not_null``, the column as ``column_name``), and, when it fails, one row per authority and
column found null, counted and judged from the failing rows' ``dq_null_columns`` (the columns
null in each row). A row with two null columns counts once for each.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from orchestration.lib.sqltext import qualified

CHECK_NAME = "dbt_tests"
GROUPED_NOT_NULL = "not_null_columns"
NULL_COLUMNS = "dq_null_columns"  # the grouped test's failing rows: the columns null in the row


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


def failures_by_authority(
    con: Any, relation: str, config: dict, by_column: bool = False
) -> list[tuple] | None:
    """[(la_code, failing rows, over error_if, over warn_if, rows checked)] from a test's stored
    failing rows, or None when the rows carry no la_code. dbt's own thresholds, applied to each
    authority alone. Tests judged on a share (``dates_in_order``) store the rows checked per
    authority as ``dq_rows_checked``; other tests leave it NULL.

    ``by_column`` (a grouped not-null test): [(la_code, column, ...)], the rows split by the
    columns named in ``dq_null_columns`` and judged per authority and column; la_code NULL when
    the model has none (every authority)."""
    columns = {r[0].lower() for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    fail_calc = config.get("fail_calc") or "count(*)"
    error_if = config.get("error_if") or "!= 0"
    warn_if = config.get("warn_if") or "!= 0"
    checked = "max(dq_rows_checked)" if "dq_rows_checked" in columns else "NULL"
    judged = f"""count(*) AS failures, ({fail_calc}) {error_if} AS over_error,
                 ({fail_calc}) {warn_if} AS over_warn, {checked} AS rows_checked"""
    if by_column:
        if NULL_COLUMNS not in columns:
            return None
        rows = (
            relation
            if "la_code" in columns
            else f"(SELECT *, NULL::VARCHAR AS la_code FROM {relation})"
        )
        return con.execute(
            f"""SELECT la_code, dq_column, {judged}
                FROM (SELECT *, unnest(string_split({NULL_COLUMNS}, ',')) AS dq_column FROM {rows})
                GROUP BY la_code, dq_column ORDER BY dq_column, la_code NULLS FIRST"""
        ).fetchall()
    if "la_code" not in columns:
        return None
    return con.execute(
        f"""SELECT la_code, {judged}
            FROM {relation} GROUP BY la_code ORDER BY la_code NULLS FIRST"""
    ).fetchall()


def _row(head, model, name, description, la_code, column, *outcome) -> tuple:
    """head, la_code, table, expectation, column, then severity, success, unexpected_count,
    element_count, observed, then the description: ``results.COLUMNS`` order."""
    return head + (la_code, model, name, column) + outcome + (description,)


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
        kwargs = metadata.get("kwargs") or {}
        grouped = metadata.get("name") == GROUPED_NOT_NULL
        column = node.get("column_name") or kwargs.get("column_name")
        passed = status == "pass"
        head = (run_id, checked_at, CHECK_NAME, "dbt")
        model = _tested_model(node)
        name = "not_null" if grouped else metadata.get("name") or node.get("name")
        description = node.get("description") or node.get("name")
        by_authority = None
        relation = _audit_relation(result, node)
        if not passed and status in ("fail", "warn") and con is not None and relation:
            try:
                by_authority = failures_by_authority(con, relation, config, by_column=grouped)
            except Exception:  # noqa: BLE001 - unreadable rows: judged for every authority below
                by_authority = None

        row = partial(_row, head, model, name, description)

        if grouped and (passed or by_authority is not None):
            # as the columns' own not_null tests: one row per column, per authority where null
            failed = set()
            for la_code, col, failures, over_error, over_warn, checked in by_authority or []:
                level = "critical" if is_error and over_error else "warning" if over_warn else None
                failed.add(col)
                observed = f"{failures} failing rows ({col} null) in {relation}"
                rows.append(
                    row(
                        la_code,
                        col,
                        level or severity,
                        level is None,
                        failures,
                        checked,
                        None if level is None else observed,
                    )
                )
            for col in kwargs.get("columns") or []:
                if col not in failed:
                    rows.append(row(None, col, severity, True, None, None, None))
            continue
        if grouped:
            column = ", ".join(kwargs.get("columns") or [])
        if by_authority is None:
            rows.append(
                row(
                    None,
                    column,
                    severity,
                    passed,
                    None if passed else result.get("failures"),
                    None,
                    None if passed else f"{status}: {(result.get('message') or '')[:450]}",
                )
            )
            continue
        for la_code, failures, over_error, over_warn, checked in by_authority:
            level = "critical" if is_error and over_error else "warning" if over_warn else None
            share = f" of {checked} checked ({100 * failures / checked:.1f}%)" if checked else ""
            rows.append(
                row(
                    la_code,
                    column,
                    level or severity,
                    level is None,
                    failures,
                    checked,
                    None if level is None else f"{failures} failing rows{share} in {relation}",
                )
            )
    return rows
