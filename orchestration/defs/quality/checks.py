"""The quality checks on whole tables and on the publication: Great Expectations suites and the
drift check as Dagster asset checks, judged per authority. Row-level rules on the conformed
facts (keys, not null, relationships, code lists, date order, dates possible) are dbt tests,
once, next to their model (dbt_project/models/conformed/*.yml; outcomes in lib/quality/dbt_tests.py).

| check | asset | suite | batches |
|---|---|---|---|
| `gx_raw_load` | `raw_meta/load_log` | `raw_load` | aggregate per authority x table from raw_meta |
| `gx_kpi_scorecard` | `kpi/kpi_scorecard` | `kpi_scorecard` | each authority's rows |
| `gx_kpi_completeness` | `kpi/kpi_scorecard` | `kpi_completeness` | aggregate per authority x measure |
| `drift_publication` | `kpi/kpi_scorecard` | (SQL, lib/quality/drift.py) | new vs published scorecard per authority |

Nothing is pulled whole: tables one authority at a time, or aggregates computed in DuckDB. Every
check writes its results to `quality.check_results` (orchestration/lib/quality/results.py), one
row per authority (the batch) and expectation. The checks do not block: a failed critical
expectation shows as ERROR in Dagster and holds back that authority only, through the gate
`quality/verdicts` (defs/quality/verdicts_asset.py), which runs after every check; warnings
show as WARN and publish. After a per-authority build (defs/transform/dbt_assets.py) the GX
suites validate the authorities it rebuilt; the others' results are carried over from their last
run (their rows are unchanged), so the gate and the report read every authority as after a full
build.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.build_scope import PER_AUTHORITY_TAG, decide_scope
from orchestration.lib.settings import load_settings

# (suite, dbt model, schema): the suite validates the model's table in that schema.
GATED_MODELS = (("kpi_scorecard", "kpi_scorecard", "kpi"),)

RAW_LOG_KEY = dg.AssetKey(["raw_meta", "load_log"])
AGGREGATE_SAMPLE = 1000  # aggregate batches are small: keep every failing row
SOURCE_OF_MODEL = {"kpi_scorecard": "kpi_scorecard"}


def _report_index():
    return load_settings().quality_dir / "report" / "index.html"


def gx_check_result(outcome, extra: dict | None = None) -> dg.AssetCheckResult:
    severity = (
        dg.AssetCheckSeverity.ERROR if outcome.critical_failures else dg.AssetCheckSeverity.WARN
    )
    warned = sorted({f"{o.batch}: {o.expectation}({o.column or ''})" for o in outcome.warnings})
    metadata = {
        "critical_failures": len(outcome.critical_failures),
        "warnings": len(outcome.warnings),
        "expectations_evaluated": len(outcome.outcomes),
        "results": dg.MetadataValue.md(outcome.summary_markdown()),
        "warning_list": dg.MetadataValue.text("; ".join(warned)[:4000] or "none"),
        "results_table": dg.MetadataValue.text("quality.check_results"),
        "dq_report": dg.MetadataValue.path(str(_report_index())),
    }
    if outcome.data_docs_index:
        metadata["data_docs"] = dg.MetadataValue.path(str(outcome.data_docs_index))
    metadata.update(extra or {})
    return dg.AssetCheckResult(
        passed=not outcome.critical_failures and not outcome.warnings,
        severity=severity,
        metadata=metadata,
    )


def _scope(context, con) -> list[str] | None:
    """The authorities to validate: in a per-authority run, those it rebuilds (decide_scope, as
    the dbt step); else every authority (None)."""
    if context.run.tags.get(PER_AUTHORITY_TAG) != "true":
        return None
    return decide_scope(con, context.run.run_id)


def _finish(con, context, check_name: str, outcome, rows, scope) -> dg.AssetCheckResult:
    """Record the results per authority for the gate, and report them to Dagster. After a
    per-authority build (`scope`: the authorities it rebuilt, the only ones validated), the
    other authorities' rows are those of their last run, and so are their results: carried over."""
    from orchestration.lib.quality import results
    from orchestration.lib.quality.verdicts import authorities_with_new_drops

    run_id = context.run.run_id
    results.record(con, rows, run_id, check_name)
    carried = 0
    if scope is not None:
        _, loaded = authorities_with_new_drops(con, run_id)
        carried = results.carry_over(con, run_id, check_name, sorted(set(loaded) - set(scope)))
    extra = {"authorities_checked": dg.MetadataValue.text(", ".join(outcome.batches) or "none")}
    if scope is not None:
        extra["results_carried_over"] = dg.MetadataValue.int(carried)
    return gx_check_result(outcome, extra)


def _docs_dir(suite: str):
    return load_settings().quality_dir / "data_docs" / suite


def _make_check(suite: str, model: str, schema: str) -> dg.AssetChecksDefinition:
    check_name = f"gx_{suite}"

    @dg.asset_check(
        asset=get_asset_key_for_model([warehouse_dbt_models], model),
        name=check_name,
        description=f"Great Expectations suite `{suite}` on {schema}.{model}, per authority; a critical failure holds back that authority.",
    )
    def _check(
        context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
    ) -> dg.AssetCheckResult:
        from orchestration.lib.quality import results
        from orchestration.lib.quality.gx_runner import (  # GX is slow to import
            authority_batches,
            run_suite,
            suite_columns,
        )

        with duckdb.get_connection() as con:
            scope = _scope(context, con)
            outcome = run_suite(
                suite,
                authority_batches(
                    con, f"{schema}.{model}", only=scope, columns=suite_columns(suite)
                ),
                docs_dir=_docs_dir(suite),
                run_name=context.run.run_id,
            )
            rows = results.result_rows(
                outcome, context.run.run_id, check_name, SOURCE_OF_MODEL.get(model, model)
            )
            return _finish(con, context, check_name, outcome, rows, scope)

    return _check


@dg.asset_check(
    asset=RAW_LOG_KEY,
    name="gx_raw_load",
    description=(
        "GX suite `raw_load` on an aggregate of raw_meta per authority x contract table: row accounting and "
        "quarantine rate above the critical limit (critical); quarantine rate above the warning limit, a failed "
        "current file, a table never delivered, volume change against the previous drop (warning). "
        "Thresholds: seeds/quality_thresholds.csv."
    ),
)
def gx_raw_load(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    from orchestration.lib.quality import results
    from orchestration.lib.quality.aggregates import raw_load_frames
    from orchestration.lib.quality.gx_runner import run_suite

    tables: dict[str, list[str]] = {}

    def batches(con, scope):
        for code, frame in raw_load_frames(con):
            if scope is None or code in scope:
                tables[code] = list(frame["table_name"])
                yield code, frame

    with duckdb.get_connection() as con:
        scope = _scope(context, con)
        outcome = run_suite(
            "raw_load",
            batches(con, scope),
            docs_dir=_docs_dir("raw_load"),
            run_name=context.run.run_id,
            sample_size=AGGREGATE_SAMPLE,
        )
        rows = results.result_rows(
            outcome,
            context.run.run_id,
            "gx_raw_load",
            None,
            per_table_key="table_name",
            tables_by_batch=tables,
        )
        return _finish(con, context, "gx_raw_load", outcome, rows, scope)


@dg.asset_check(
    asset=get_asset_key_for_model([warehouse_dbt_models], "kpi_scorecard"),
    name="gx_kpi_completeness",
    description=(
        "GX suite `kpi_completeness` on an aggregate per authority x catalogue measure: every implemented "
        "measure for every period and level, no duplicates or gaps, value consistent with numerator / "
        "denominator, 0 <= numerator <= denominator (critical)."
    ),
)
def gx_kpi_completeness(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    from orchestration.lib.quality import results
    from orchestration.lib.quality.aggregates import kpi_completeness_frames
    from orchestration.lib.quality.gx_runner import run_suite

    with duckdb.get_connection() as con:
        scope = _scope(context, con)
        outcome = run_suite(
            "kpi_completeness",
            (
                (code, frame)
                for code, frame in kpi_completeness_frames(con)
                if scope is None or code in scope
            ),
            docs_dir=_docs_dir("kpi_completeness"),
            run_name=context.run.run_id,
            sample_size=AGGREGATE_SAMPLE,
        )
        rows = results.result_rows(
            outcome, context.run.run_id, "gx_kpi_completeness", "kpi_scorecard"
        )
        return _finish(con, context, "gx_kpi_completeness", outcome, rows, scope)


@dg.asset_check(
    asset=get_asset_key_for_model([warehouse_dbt_models], "kpi_scorecard"),
    name="drift_publication",
    description=(
        "Drift against the last publication, per authority at authority level: measures that had values "
        "and now have none, periods that disappeared, the data date moving backwards or beyond today, the "
        "units counted changing beyond the critical share (critical; holds the authority back) or the "
        "warning share (warning). Changes accepted with `cscw run --accept-change LA[:measure]` are "
        "recorded as info. Thresholds: seeds/quality_thresholds.csv (drift_*)."
    ),
)
def drift_publication(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    from orchestration.lib.publish import current_snapshot
    from orchestration.lib.quality import results
    from orchestration.lib.quality.drift import (
        CHECK_NAME,
        accepted_from,
        drift_rows,
        previous_relations,
    )

    run_id = context.run.run_id
    accepted = accepted_from(context.run.tags)
    snapshot = current_snapshot(load_settings().publish_dir)
    old_scorecard, old_authority = previous_relations(snapshot)
    with duckdb.get_connection() as con:
        rows = drift_rows(
            con,
            run_id,
            "kpi.kpi_scorecard",
            "conformed.dim_authority",
            old_scorecard,
            old_authority,
            accepted=accepted,
        )
        results.record(con, rows, run_id, CHECK_NAME)
    named = [dict(zip(results.COLUMNS, r)) for r in rows]
    critical = [r for r in named if r["severity"] == "critical" and not r["success"]]
    warnings = [r for r in named if r["severity"] == "warning" and not r["success"]]
    accepted_rows = [r for r in named if r["severity"] == "info" and not r["success"]]

    def lines(found):
        return (
            "\n".join(f"{r['la_code']} {r['expectation']}: {r['observed']}" for r in found)[:4000]
            or "none"
        )

    return dg.AssetCheckResult(
        passed=not critical and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if critical else dg.AssetCheckSeverity.WARN,
        metadata={
            "compared_with": dg.MetadataValue.text(
                str(snapshot) if snapshot else "no previous publication"
            ),
            "critical_failures": len(critical),
            "warnings": len(warnings),
            "critical": dg.MetadataValue.text(lines(critical)),
            "warning_list": dg.MetadataValue.text(lines(warnings)),
            "accepted_changes": dg.MetadataValue.text(lines(accepted_rows)),
            "accepted": dg.MetadataValue.text(", ".join(str(a) for a in accepted) or "none"),
            "results_table": dg.MetadataValue.text("quality.check_results"),
        },
    )


quality_checks = [_make_check(*gated) for gated in GATED_MODELS] + [
    gx_raw_load,
    gx_kpi_completeness,
    drift_publication,
]
