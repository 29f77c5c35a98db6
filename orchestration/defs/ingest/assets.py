"""Landing -> raw: one asset per contract table, loaded together per authority.

All tables load in one step because foreign keys are checked across tables and each authority
is committed in one transaction; each table still gets its own asset, metadata and lineage.
"""

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from orchestration.defs.transform import parse_ahead
from orchestration.lib.calendar import bank_holidays
from orchestration.lib.contract import load_contract
from orchestration.lib.ingest.loader import load_landing
from orchestration.lib.quality._context import import_gx_in_background
from orchestration.lib.settings import load_settings

RAW_META_TABLES = ("load_log", "quarantine", "current_versions")
IGNORED_SHOWN = 3  # landing paths not used, named in the run's summary (the rest are counted)

RAW_SPECS = [
    dg.AssetSpec(
        key=["raw", name],
        group_name="raw",
        kinds={"duckdb"},
        description=f"{table.source} table {name} as delivered, rows that pass the contract; newest drop per authority.",
    )
    for name, table in load_contract().items()
] + [
    dg.AssetSpec(
        key=["raw_meta", name],
        group_name="raw",
        kinds={"duckdb"},
        description=f"Ingestion {name.replace('_', ' ')}: provenance and row accounting.",
    )
    for name in RAW_META_TABLES
]


@dg.multi_asset(specs=RAW_SPECS, pool="warehouse")
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, dbt: DbtCliResource):
    import_gx_in_background()  # the quality suites that follow need it; DuckDB loads meanwhile
    if parse_ahead.start(context.run.run_id, dbt):  # the dbt build that follows needs it
        context.log.info("dbt parse started beside ingestion (no current parse state)")
    settings = load_settings()
    with duckdb.get_connection() as con:
        report = load_landing(con, settings.landing, context.run.run_id, log=context.log.info)
    per_table = report.by_table()
    failed = {r.file.table: r.message for r in report.failed}
    for name in load_contract():
        counts = per_table.get(name, {})
        metadata = {k: dg.MetadataValue.int(v) for k, v in counts.items()}
        if name in failed:
            metadata["file_error"] = dg.MetadataValue.text(failed[name])
        if not counts:
            metadata["status"] = dg.MetadataValue.text(
                "unchanged" if name not in failed else "failed"
            )
        yield dg.MaterializeResult(asset_key=["raw", name], metadata=metadata)
    summary = {
        "authorities_loaded": dg.MetadataValue.text(", ".join(report.loaded_authorities) or "none"),
        "authorities_unchanged": dg.MetadataValue.text(
            ", ".join(report.skipped_authorities) or "none"
        ),
        "files_failed": dg.MetadataValue.int(len(report.failed)),
        "paths_ignored": dg.MetadataValue.int(len(report.ignored_paths)),
        # the first few with their reason, for the run's summary (all: raw_meta.landing_ignored)
        "paths_ignored_first": dg.MetadataValue.text(
            "\n".join(report.ignored_paths[:IGNORED_SHOWN])
        ),
    }
    for name in RAW_META_TABLES:
        yield dg.MaterializeResult(asset_key=["raw_meta", name], metadata=summary)


@dg.asset(
    key=["reference", "bank_holidays"], group_name="reference", kinds={"duckdb"}, pool="warehouse"
)
def reference_bank_holidays(duckdb: DuckDBResource) -> dg.MaterializeResult:
    """England and Wales bank holidays for the calendar years in settings (from `holidays`)."""
    settings = load_settings()
    days = bank_holidays(settings.calendar_first_year, settings.calendar_last_year)
    with duckdb.get_connection() as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS reference")
        con.execute(
            "CREATE OR REPLACE TABLE reference.bank_holidays (holiday_date DATE PRIMARY KEY, holiday_name VARCHAR)"
        )
        con.executemany("INSERT INTO reference.bank_holidays VALUES (?, ?)", days)
    return dg.MaterializeResult(
        metadata={
            "days": len(days),
            "years": f"{settings.calendar_first_year}-{settings.calendar_last_year}",
        }
    )
