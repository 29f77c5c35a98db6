"""KPI marts -> published snapshot for BI: only after every blocking quality check passed."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model
from dagster_duckdb import DuckDBResource

from orchestration.defs.quality.checks import GATED_MODELS
from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.publish import PublishedTable, publish_snapshot
from orchestration.lib.settings import load_settings

# What BI users get. No names or case-management identifiers: children and workers appear
# only as keyed pseudonyms, in detail tables.
PUBLISHED_TABLES = [
    PublishedTable("kpi_scorecard", "kpi.kpi_scorecard",
                   "la_code, kpi_id, period_type, period_start, breakdown, breakdown_id"),
    PublishedTable("kpi_assessments_45wd_detail", "kpi.kpi_assessments_45wd_detail",
                   "la_code, reference_date, assessment_key"),
    PublishedTable("kpi_catalogue", "reference.kpi_catalogue", "kpi_id"),
    PublishedTable("dim_team", "conformed.dim_team", "la_code, team_id"),
    PublishedTable("dim_period", "conformed.dim_period", "la_code, period_type, period_start"),
]
PUBLISHED_MODELS = ("kpi_scorecard", "kpi_assessments_45wd_detail", "kpi_catalogue", "dim_team", "dim_period")


@dg.asset(
    key=["publish", "snapshot"],
    group_name="publish",
    kinds={"duckdb", "parquet"},
    # Direct dependencies on every gated model too: a blocking check only holds back the
    # steps that depend directly on its asset.
    deps=[get_asset_key_for_model([warehouse_dbt_models], m)
          for m in dict.fromkeys(PUBLISHED_MODELS + tuple(model for _, model, _ in GATED_MODELS))],
    pool="warehouse",
)
def published_snapshot(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """A read-only DuckDB file and Parquet files of the scorecard, swapped in atomically."""
    settings = load_settings()
    manifest = {"run_id": context.run_id, "warehouse": str(settings.warehouse)}
    with duckdb.get_connection() as con:
        path = publish_snapshot(con, settings.publish_dir, PUBLISHED_TABLES, manifest, keep=settings.publish_keep)
    return dg.MaterializeResult(metadata={
        "snapshot": dg.MetadataValue.path(str(path)),
        "current": dg.MetadataValue.path(str(settings.publish_dir / "current")),
        "duckdb_file": dg.MetadataValue.path(str(path / "cscw.duckdb")),
    })
