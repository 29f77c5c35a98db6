"""The DfE validators on the current return files, as a Dagster asset before the report.

Off by default (``CSCW_DFE_VALIDATORS``): then it only records, per return, that the validators
were not run and why. On, it runs them in their own environment (built on first use) and records
runs and findings (orchestration/lib/dfe/findings.py). It never fails the run and writes nothing
the gate reads: the findings are warnings that never hold back publication.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.quality.checks import RAW_LOG_KEY
from orchestration.lib.settings import load_settings

DFE_FINDINGS_KEY = dg.AssetKey(["quality", "dq_dfe_findings"])


@dg.asset(
    key=DFE_FINDINGS_KEY,
    group_name="quality",
    kinds={"duckdb", "python"},
    deps=[RAW_LOG_KEY],
    pool="warehouse",
    description="The DfE's published validators (csc-validator-be-903 / -cin) on each authority's current return "
    "files, in their own environment; off unless CSCW_DFE_VALIDATORS is on. Findings are warnings "
    "(quality.dfe_findings, children pseudonymised; quality.dfe_validator_runs).",
)
def dq_dfe_findings(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    from orchestration.lib.dfe.findings import run_validators

    settings = load_settings()
    try:
        counts = run_validators(
            duckdb.get_connection, context.run.run_id, settings, log=context.log.info
        )
    except Exception as exc:  # noqa: BLE001 - the validators must never block the run
        context.log.error(f"DfE validators failed: {exc!r}")
        return dg.MaterializeResult(metadata={"error": dg.MetadataValue.text(repr(exc)[:2000])})
    return dg.MaterializeResult(
        metadata={
            "enabled": dg.MetadataValue.bool(settings.dfe_validators),
            "runs": dg.MetadataValue.json(counts),
            "tables": dg.MetadataValue.text("quality.dfe_findings, quality.dfe_validator_runs"),
        }
    )
