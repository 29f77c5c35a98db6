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

A model's grouped checks (``column_checks``: one dbt node for its columns' not_null, unique and
accepted_values checks) are recorded as the checks' own tests would be: one row per check
(expectation ``not_null``, ``unique`` or ``accepted_values``, the column, or the key's columns, as
``column_name``), and, when the test fails, one row per authority and check that fails, counted and
judged from the failing rows' ``dq_failed_checks`` (``check:column`` of each check the row fails,
``;``-separated). A row failing two checks counts once for each.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from orchestration.lib.sqltext import qualified

CHECK_NAME = "dbt_tests"
GROUPED = "column_checks"
FAILED_CHECKS = "dq_failed_checks"  # the grouped test's failing rows: the checks the row fails


def grouped_checks(kwargs: dict) -> list[tuple[str, str]]:
    """[(check, column)] a ``column_checks`` test declares, in the order the test reports them;
    a unique key of several columns is one check, its columns joined by ", "."""
    keys = [k if isinstance(k, str) else ", ".join(k) for k in kwargs.get("unique") or []]
    return (
        [("not_null", c) for c in kwargs.get("not_null") or []]
        + [("unique", k) for k in keys]
        + [("accepted_values", c) for c in kwargs.get("accepted_values") or {}]
    )


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
    con: Any, relation: str, config: dict, by_check: bool = False
) -> list[tuple] | None:
    """[(la_code, failing rows, over error_if, over warn_if, rows checked)] from a test's stored
    failing rows, or None when the rows carry no la_code. dbt's own thresholds, applied to each
    authority alone. Tests judged on a share (``dates_in_order``) store the rows checked per
    authority as ``dq_rows_checked``; other tests leave it NULL.

    ``by_check`` (a ``column_checks`` test): [(la_code, check, column, ...)], the rows split by
    the checks named in ``dq_failed_checks`` and judged per authority and check; la_code NULL
    when the model has none (every authority)."""
    columns = {r[0].lower() for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    fail_calc = config.get("fail_calc") or "count(*)"
    error_if = config.get("error_if") or "!= 0"
    warn_if = config.get("warn_if") or "!= 0"
    checked = "max(dq_rows_checked)" if "dq_rows_checked" in columns else "NULL"
    judged = f"""count(*) AS failures, ({fail_calc}) {error_if} AS over_error,
                 ({fail_calc}) {warn_if} AS over_warn, {checked} AS rows_checked"""
    if by_check:
        if FAILED_CHECKS not in columns:
            return None
        rows = (
            relation
            if "la_code" in columns
            else f"(SELECT *, NULL::VARCHAR AS la_code FROM {relation})"
        )
        return con.execute(
            f"""SELECT la_code, split_part(dq_check, ':', 1) AS dq_name,
                       substr(dq_check, strpos(dq_check, ':') + 1) AS dq_column, {judged}
                FROM (SELECT *, unnest(string_split({FAILED_CHECKS}, ';')) AS dq_check FROM {rows})
                GROUP BY ALL ORDER BY dq_name, dq_column, la_code NULLS FIRST"""
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
        grouped = metadata.get("name") == GROUPED
        column = node.get("column_name") or kwargs.get("column_name")
        passed = status == "pass"
        head = (run_id, checked_at, CHECK_NAME, "dbt")
        model = _tested_model(node)
        name = metadata.get("name") or node.get("name")
        description = node.get("description") or node.get("name")
        by_authority = None
        relation = _audit_relation(result, node)
        if not passed and status in ("fail", "warn") and con is not None and relation:
            try:
                by_authority = failures_by_authority(con, relation, config, by_check=grouped)
            except Exception:  # noqa: BLE001 - unreadable rows: judged for every authority below
                by_authority = None

        if grouped:
            rows.extend(
                _grouped_rows(
                    head, model, kwargs, severity, is_error, result, relation, by_authority
                )
            )
            continue
        row = partial(_row, head, model, name, description)
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


def _grouped_rows(head, model, kwargs, severity, is_error, result, relation, by_authority) -> list:
    """A ``column_checks`` test as its checks' own tests: one row per check that passed, one per
    authority and check that failed; when its rows could not be judged (an error, or rows not
    readable), every check failed for every authority with the test's message."""

    def check_row(check, column, la_code, *outcome):
        name = "_".join([check, model or "", *column.split(", ")])  # as dbt names its own test
        return _row(head, model, check, name, la_code, column, *outcome)

    declared = grouped_checks(kwargs)
    status = result.get("status")
    if status != "pass" and by_authority is None:
        message = f"{status}: {(result.get('message') or '')[:450]}"
        failures = result.get("failures")
        return [check_row(*c, None, severity, False, failures, None, message) for c in declared]
    rows, failed = [], set()
    for la_code, check, column, failures, over_error, over_warn, checked in by_authority or []:
        level = "critical" if is_error and over_error else "warning" if over_warn else None
        failed.add((check, column))
        observed = f"{failures} failing rows ({column} {_FAILING[check]}) in {relation}"
        rows.append(
            check_row(
                check,
                column,
                la_code,
                level or severity,
                level is None,
                failures,
                checked,
                None if level is None else observed,
            )
        )
    passed = [c for c in declared if c not in failed]
    return rows + [check_row(*c, None, severity, True, None, None, None) for c in passed]


_FAILING = {"not_null": "null", "unique": "duplicated", "accepted_values": "not an accepted value"}
