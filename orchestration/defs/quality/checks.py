"""The quality gate: Great Expectations suites as blocking Dagster asset checks.

Each table is validated one authority at a time (never pulled whole). A failed critical
expectation fails the check with ERROR severity, which stops publication; warnings are
recorded (WARN) and publication goes ahead.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.settings import load_settings

# (suite, dbt model, schema): the suite validates the model's table in that schema.
GATED_MODELS = (
    ("fct_assessments", "fct_assessments", "conformed"),
    ("kpi_scorecard", "kpi_scorecard", "kpi"),
)


def _authority_batches(con, relation: str):
    """(la_code, DataFrame) for each authority in turn: bounded memory at national scale."""
    codes = [r[0] for r in con.execute(f"SELECT DISTINCT la_code FROM {relation} ORDER BY 1").fetchall()]
    for code in codes:
        yield code, con.execute(f"SELECT * FROM {relation} WHERE la_code = ?", [code]).df()


def gx_check_result(outcome) -> dg.AssetCheckResult:
    severity = dg.AssetCheckSeverity.ERROR if outcome.critical_failures else dg.AssetCheckSeverity.WARN
    metadata = {
        "critical_failures": len(outcome.critical_failures),
        "warnings": len(outcome.warnings),
        "expectations_evaluated": len(outcome.outcomes),
        "results": dg.MetadataValue.md(outcome.summary_markdown()),
    }
    if outcome.data_docs_index:
        metadata["data_docs"] = dg.MetadataValue.path(str(outcome.data_docs_index))
    return dg.AssetCheckResult(
        passed=not outcome.critical_failures and not outcome.warnings,
        severity=severity,
        metadata=metadata,
    )


def _make_check(suite: str, model: str, schema: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=get_asset_key_for_model([warehouse_dbt_models], model),
        name=f"gx_{suite}",
        blocking=True,
        description=f"Great Expectations suite `{suite}` on {schema}.{model}, per authority; critical failures block publication.",
    )
    def _check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        from orchestration.lib.quality.gx_runner import run_suite  # GX is slow to import

        docs = load_settings().quality_dir / "data_docs"
        with duckdb.get_connection() as con:
            outcome = run_suite(suite, _authority_batches(con, f"{schema}.{model}"), docs_dir=docs)
        return gx_check_result(outcome)

    return _check


quality_checks = [_make_check(*gated) for gated in GATED_MODELS]
