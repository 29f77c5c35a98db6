"""dbt test outcomes as rows of ``quality.check_results``, so that the auditors' report shows the
row-level rules dbt checks (keys, relationships within the authority, code lists) next to the GX
suites. One row per test of the build: check ``dbt_tests``, suite ``dbt``, the tested model as
``table_name``; dbt's ``error`` severity is ``critical`` (it stops the models downstream), ``warn``
is ``warning``. dbt counts failures over all authorities, so ``la_code`` is NULL."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

CHECK_NAME = "dbt_tests"


def _tested_model(node: dict) -> str | None:
    attached = node.get("attached_node") or (node.get("config", {}).get("meta", {}).get("dagster", {})
                                             .get("ref", {}).get("name"))
    if attached:
        return attached.split(".")[-1]
    models = [d for d in node.get("depends_on", {}).get("nodes", []) if d.startswith("model.")]
    return models[0].split(".")[-1] if len(models) == 1 else None


def dbt_test_rows(run_results: dict, manifest: dict, run_id: str,
                  checked_at: datetime | None = None) -> list[tuple]:
    """Rows (in ``results.COLUMNS`` order) for every data test in a dbt ``run_results.json``."""
    checked_at = checked_at or datetime.now(timezone.utc).replace(tzinfo=None)
    rows = []
    for result in run_results.get("results", []):
        node = manifest.get("nodes", {}).get(result["unique_id"])
        if not node or node.get("resource_type") != "test":
            continue
        status = result.get("status")
        severity = "warning" if str(node.get("config", {}).get("severity", "error")).lower() == "warn" else "critical"
        metadata = node.get("test_metadata") or {}
        column = node.get("column_name") or (metadata.get("kwargs") or {}).get("column_name")
        passed = status == "pass"
        rows.append((
            run_id, checked_at, CHECK_NAME, "dbt", None, _tested_model(node),
            metadata.get("name") or node.get("name"), column, severity, passed,
            None if passed else result.get("failures"), None,
            None if passed else f"{status}: {(result.get('message') or '')[:450]}",
            node.get("description") or node.get("name"),
        ))
    return rows
