"""raw -> staging -> conformed -> KPI: the dbt project as Dagster assets.

dbt sources `raw.<table>`, `raw_meta.<table>` and `reference.bank_holidays` map to the ingest
assets by their default keys ([source, table]), so lineage runs from the landing files to the
scorecard. Unit tests run in CI (`dbt test`), never in production builds.
"""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.resources import dbt_project


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        # models/<layer>/...: staging, intermediate, conformed, kpi
        return dbt_resource_props["fqn"][1]


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=Translator(),
            pool="warehouse", exclude="resource_type:unit_test")
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()
