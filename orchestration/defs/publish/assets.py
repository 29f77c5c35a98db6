"""KPI marts -> published snapshot for BI, per authority, after the quality gate.

`publish/snapshot`  read-only DuckDB file + Parquet + scorecard.html, swapped in atomically:
                    new rows of the authorities the gate passed (quality/verdicts), previously
                    published rows of those it held back; nothing when it held back all;
`publish/postgres`  the snapshot's tables loaded into a PostgreSQL schema (CSCW_PG_DSN), swapped
                    in atomically; skipped when CSCW_PG_DSN is unset. It runs after the file
                    snapshot is published, so a PostgreSQL failure fails the run but leaves the
                    new file snapshot in place.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.quality.verdicts_asset import VERDICTS_KEY
from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.publish import (
    PublishedTable,
    current_snapshot,
    publish_options,
    publish_snapshot,
    read_manifest,
)
from orchestration.lib.settings import load_settings

# Everything in the kpi layer is published (the scorecard, one detail table per measure,
# exception lists), plus the reference tables BI needs for labels. No names or case-management
# identifiers exist in these layers: children and workers are keyed pseudonyms.
PUBLISHED_SCHEMAS = ("kpi",)
REFERENCE_TABLES = [
    PublishedTable("kpi_catalogue", "reference.kpi_catalogue", "kpi_id"),
    PublishedTable("kpi_targets", "reference.kpi_targets", "ALL"),
    PublishedTable("kpi_parameters", "reference.kpi_parameters", "ALL"),
    PublishedTable("dim_team", "conformed.dim_team", "la_code, team_id", by_authority=True),
    PublishedTable(
        "dim_period",
        "conformed.dim_period",
        "la_code, period_type, period_start",
        by_authority=True,
    ),
    PublishedTable("dim_authority", "conformed.dim_authority", "la_code", by_authority=True),
]
# Published when the warehouse has them (seeds the lead may add).
OPTIONAL_TABLES = [
    PublishedTable("england_comparators", "reference.england_comparators", "ALL"),
    # the auditors' data-quality report, per authority and table, with its history of runs
    PublishedTable("dq_report", "quality.dq_report", "ALL"),
    PublishedTable("dq_quarantine_reasons", "quality.dq_quarantine_reasons", "ALL"),
    # every run's verdict per authority: which authorities' rows come from an earlier drop
    PublishedTable("dq_verdicts", "quality.verdicts", "ALL"),
    # what each authority delivered and the measures it feeds; values read as nothing and
    # references without a parent row (counts, columns and line numbers, no values of people)
    PublishedTable("dq_deliveries", "quality.dq_deliveries", "ALL"),
    PublishedTable("dq_value_notes", "quality.dq_value_notes", "ALL"),
    PublishedTable("dq_orphans", "quality.dq_orphans", "ALL"),
]
AGGREGATE_TABLES = ("kpi_scorecard",)

# Publication waits for every dbt model, the gate (after every check) and the data-quality
# report (published with the snapshot; it never fails).
UPSTREAM = list(warehouse_dbt_models.keys) + [VERDICTS_KEY, dg.AssetKey(["quality", "dq_report"])]


def published_tables(con) -> list[PublishedTable]:
    schemas = ", ".join(f"'{s}'" for s in PUBLISHED_SCHEMAS)
    rows = con.execute(
        f"""SELECT t.table_schema, t.table_name,
                   bool_or(c.column_name LIKE '%\\_key' ESCAPE '\\') AS has_pseudonym,
                   bool_or(c.column_name = 'la_code') AS has_la_code
            FROM information_schema.tables t
            JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
            WHERE t.table_schema IN ({schemas}) AND t.table_type = 'BASE TABLE'
            GROUP BY ALL ORDER BY t.table_name"""
    ).fetchall()
    existing = {
        r[0]
        for r in con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
        ).fetchall()
    }
    # Detail = row-level (a child, unit or worker per row): every kpi table but the aggregates.
    kpi = [
        PublishedTable(
            name,
            f"{schema}.{name}",
            "ALL",
            detail=name not in AGGREGATE_TABLES and (has_key or name.endswith("_detail")),
            by_authority=has_la_code,
        )
        for schema, name, has_key, has_la_code in rows
    ]
    return kpi + REFERENCE_TABLES + [t for t in OPTIONAL_TABLES if t.relation in existing]


def run_check_results(context) -> list[dict]:
    """This run's asset-check results so far (the gate ran before publication)."""
    try:
        records = context.instance.get_records_for_run(
            run_id=context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
    except Exception:  # noqa: BLE001 - older storage without this query: the report omits the status
        return []
    results = []
    for record in records:
        e = record.event_log_entry.dagster_event.event_specific_data
        results.append(
            {
                "asset": e.asset_key.to_user_string(),
                "check": e.check_name,
                "passed": bool(e.passed),
                "severity": e.severity.value if e.severity else None,
            }
        )
    return results


@dg.asset(
    key=["publish", "snapshot"],
    group_name="publish",
    kinds={"duckdb", "parquet", "html"},
    deps=UPSTREAM,
    pool="warehouse",
    output_required=False,
    description="Read-only DuckDB file, Parquet per table and scorecard.html, small numbers suppressed, "
    "swapped in atomically under $CSCW_PUBLISH_DIR/current; held-back authorities keep their "
    "previously published rows; nothing is published when every authority is held back.",
)
def published_snapshot(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from orchestration.lib.quality.verdicts import read_verdicts, record_publication

    settings = load_settings()
    checks = run_check_results(context)
    quality_report = settings.quality_dir / "report" / "index.html"
    manifest = {
        "run_id": context.run.run_id,
        "warehouse": str(settings.warehouse),
        "quality_report": quality_report.as_uri(),
    }
    with duckdb.get_connection() as con:
        verdicts = read_verdicts(con, context.run.run_id)
        if not verdicts:
            context.log.warning(
                "no verdicts for this run (the gate did not run): every authority is published"
            )
        options = publish_options(checks=checks, verdicts=verdicts)
        tables = published_tables(con)
        path = publish_snapshot(
            con,
            settings.publish_dir,
            tables,
            manifest,
            keep=settings.publish_keep,
            options=options,
            progress=context.log.info,
        )
        if path is not None:
            # only now do this run's "published" verdicts count: a kill before this line leaves
            # the drops new, and the next run publishes them again
            record_publication(con, context.run.run_id, path.name)
    if path is None:
        context.log.warning(
            "every authority is held back: nothing published, `current` is unchanged"
        )
        return
    published = read_manifest(path)
    yield dg.MaterializeResult(
        metadata={
            "snapshot": dg.MetadataValue.path(str(path)),
            "current": dg.MetadataValue.path(str(settings.publish_dir / "current")),
            "scorecard_report": dg.MetadataValue.url((path / "scorecard.html").as_uri()),
            "tables": dg.MetadataValue.json(published.get("tables", {})),
            "detail_tables_published": options.include_detail,
            "suppress_below": options.suppress_below,
            "rows_suppressed": published.get("suppression", {}).get("rows_suppressed") or 0,
        }
    )


@dg.asset(
    key=["publish", "postgres"],
    group_name="publish",
    kinds={"postgres"},
    deps=[published_snapshot],
    output_required=False,
    description="The published snapshot loaded into PostgreSQL schema $CSCW_PG_SCHEMA (default cscw) "
    "for Superset / Metabase; skipped when CSCW_PG_DSN is unset.",
)
def published_postgres(context: dg.AssetExecutionContext):
    from orchestration.lib.publish_postgres import (
        PostgresPublishError,
        postgres_target,
        publish_postgres,
    )

    target = postgres_target()
    if target is None:
        context.log.info("CSCW_PG_DSN is not set: PostgreSQL publication skipped")
        return
    settings = load_settings()
    snapshot = current_snapshot(settings.publish_dir)
    if snapshot is None:
        raise dg.Failure("no published snapshot to load into PostgreSQL")
    manifest = read_manifest(snapshot)
    try:
        counts = publish_postgres(
            snapshot,
            target,
            detail_tables=manifest.get("detail_tables", []),
            manifest=manifest,
            progress=context.log.info,
        )
    except PostgresPublishError as error:
        raise dg.Failure(
            description=f"{error}. The file snapshot {snapshot.name} IS published (DuckDB, Parquet, "
            "scorecard.html); PostgreSQL still holds the previous publication."
        ) from error
    yield dg.MaterializeResult(
        metadata={
            "dsn": target.safe_dsn,
            "schema": target.schema,
            "snapshot": snapshot.name,
            "tables": dg.MetadataValue.json(counts),
            "detail_tables_published": target.include_detail,
            "reader_role": target.reader_role or "",
        }
    )
