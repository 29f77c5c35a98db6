"""raw -> staging -> conformed -> KPI: the dbt project as Dagster assets.

dbt sources `raw.<table>`, `raw_meta.<table>` and `reference.bank_holidays` map to the ingest
assets by their default keys ([source, table]), so lineage runs from the landing files to the
scorecard. Unit tests run in CI (`dbt test`), never in production builds. Test outcomes are kept
in quality.check_results (check `dbt_tests`) for the data-quality report.
"""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.defs.resources import dbt_project


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        # models/<layer>/...: staging, intermediate, conformed, kpi
        return dbt_resource_props["fqn"][1]


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=Translator(),
            pool="warehouse", exclude="resource_type:unit_test")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    yield from invocation.stream()
    # dbt has exited (and released the warehouse): keep its test outcomes for the auditors'
    # report, including those of a build that failed, then fail as dbt did.
    _record_test_outcomes(context, invocation, duckdb)
    if not invocation.is_successful():
        raise invocation.get_error()


def _record_test_outcomes(context: dg.AssetExecutionContext, invocation, duckdb: DuckDBResource) -> None:
    from orchestration.lib.quality.dbt_tests import CHECK_NAME, dbt_test_rows
    from orchestration.lib.quality.results import record

    try:
        rows = dbt_test_rows(invocation.get_artifact("run_results.json"), invocation.manifest, context.run.run_id)
        with duckdb.get_connection() as con:
            record(con, rows, context.run.run_id, CHECK_NAME)
    except Exception as exc:  # noqa: BLE001 - a missing artifact must not hide dbt's own outcome
        context.log.warning(f"dbt test outcomes not recorded: {exc!r}")
