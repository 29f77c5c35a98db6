"""KPI marts -> published snapshot for BI: only after every blocking quality check passed."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.publish import PublishedTable, publish_snapshot
from orchestration.lib.settings import load_settings

# Everything in the kpi layer is published (the scorecard, one detail table per measure,
# exception lists), plus the reference tables BI needs for labels. No names or case-management
# identifiers exist in these layers: children and workers are keyed pseudonyms.
PUBLISHED_SCHEMAS = ("kpi",)
REFERENCE_TABLES = [
    PublishedTable("kpi_catalogue", "reference.kpi_catalogue", "kpi_id"),
    PublishedTable("kpi_targets", "reference.kpi_targets", "ALL"),
    PublishedTable("kpi_parameters", "reference.kpi_parameters", "ALL"),
    PublishedTable("dim_team", "conformed.dim_team", "la_code, team_id"),
    PublishedTable("dim_period", "conformed.dim_period", "la_code, period_type, period_start"),
    PublishedTable("dim_authority", "conformed.dim_authority", "la_code"),
]

# Publication waits for every dbt model (and so every blocking check on any of them): a
# blocking check only holds back the steps that depend directly on its asset.
UPSTREAM = list(warehouse_dbt_models.keys)


def published_tables(con) -> list[PublishedTable]:
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    names = con.execute(
        f"SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN ({schemas}) "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [PublishedTable(name, f"{schema}.{name}", "ALL") for schema, name in names] + REFERENCE_TABLES


@dg.asset(
    key=["publish", "snapshot"],
    group_name="publish",
    kinds={"duckdb", "parquet"},
    deps=UPSTREAM,
    pool="warehouse",
)
def published_snapshot(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """A read-only DuckDB file and Parquet files of the kpi layer, swapped in atomically."""
    settings = load_settings()
    manifest = {"run_id": context.run.run_id, "warehouse": str(settings.warehouse)}
    with duckdb.get_connection() as con:
        tables = published_tables(con)
        path = publish_snapshot(con, settings.publish_dir, tables, manifest, keep=settings.publish_keep)
    return dg.MaterializeResult(metadata={
        "snapshot": dg.MetadataValue.path(str(path)),
        "current": dg.MetadataValue.path(str(settings.publish_dir / "current")),
        "tables": dg.MetadataValue.text(", ".join(t.name for t in tables)),
    })
