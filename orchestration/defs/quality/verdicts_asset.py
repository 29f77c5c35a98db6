"""The quality gate: one verdict per authority (published, held_back, unchanged) for this run.

It runs after every check of the run: downstream of every checked asset (the GX checks on dbt
models and on the raw load log; the dbt tests run inside the dbt step), and, since the checks
do not block, with a lower step priority than theirs, so that the in-process executor of
`warehouse_job` picks every ready check first. A GX check of the run that has reported no
result by then (it crashed) is recorded as a failure that holds back every authority, so an
authority is never published unjudged.
"""

from datetime import UTC

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.quality.checks import RAW_LOG_KEY, quality_checks
from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.testpoints import pause_point

VERDICTS_KEY = dg.AssetKey(["quality", "verdicts"])
GX_CHECK_KEYS = {key for checks in quality_checks for key in checks.check_keys}
UNREPORTED_CHECK = "gate_unreported_checks"


def _unreported_checks(context: dg.AssetExecutionContext) -> list[dg.AssetCheckKey]:
    """GX checks planned for this run that have not reported a result."""

    def keys(event_type):
        records = context.instance.get_records_for_run(
            run_id=context.run.run_id, of_type=event_type
        ).records
        return {
            dg.AssetCheckKey(
                r.event_log_entry.dagster_event.event_specific_data.asset_key,
                r.event_log_entry.dagster_event.event_specific_data.check_name,
            )
            for r in records
        }

    planned = keys(dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED) & GX_CHECK_KEYS
    return sorted(
        planned - keys(dg.DagsterEventType.ASSET_CHECK_EVALUATION), key=lambda k: k.to_user_string()
    )


def unreported_rows(run_id: str, checks: list[dg.AssetCheckKey]) -> list[tuple]:
    """quality.check_results rows: each unreported check, critical for every authority (la_code NULL)."""
    from datetime import datetime

    now = datetime.now(UTC).replace(tzinfo=None)
    return [
        (
            run_id,
            now,
            UNREPORTED_CHECK,
            None,
            None,
            key.asset_key.to_user_string(),
            key.name,
            None,
            "critical",
            False,
            None,
            None,
            "no result: the check failed to run",
            f"Check {key.name} reports a result in this run",
        )
        for key in checks
    ]


@dg.asset(
    key=VERDICTS_KEY,
    group_name="quality",
    kinds={"duckdb"},
    deps=[RAW_LOG_KEY, *warehouse_dbt_models.keys],
    pool="warehouse",
    op_tags={"dagster/priority": "-1"},  # after every ready check (see the module docstring)
    description="One verdict per authority for this run (published, held_back, unchanged) from the failed "
    "critical checks of quality.check_results, attributed by la_code (NULL: every authority).",
)
def verdicts(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    from orchestration.lib.quality import results
    from orchestration.lib.quality.verdicts import HELD_BACK, judge

    run_id = context.run.run_id
    unreported = _unreported_checks(context)
    with duckdb.get_connection() as con:
        results.record(con, unreported_rows(run_id, unreported), run_id, UNREPORTED_CHECK)
        judged = judge(con, run_id)
    pause_point("gate")
    for v in judged:
        if v["verdict"] == HELD_BACK:
            context.log.warning(f"authority {v['la_code']} held back: {v['reasons']}")
    counts = {
        name: sum(v["verdict"] == name for v in judged)
        for name in ("published", "unchanged", "held_back")
    }
    return dg.MaterializeResult(
        metadata={
            **{name: dg.MetadataValue.int(n) for name, n in counts.items()},
            "verdicts": dg.MetadataValue.json(judged),
            "table": dg.MetadataValue.text("quality.verdicts"),
        }
    )
