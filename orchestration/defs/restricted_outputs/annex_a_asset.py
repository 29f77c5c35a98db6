"""Ofsted Annex A as a Dagster asset, on request only: its own job (`annex_a_job`), never part of
the nightly `warehouse_job` nor of publication. Launch it from the UI (or `dagster job execute`)
with the authority in the run config; the workbook goes to the restricted folder
(CSCW_RESTRICTED_DIR), never to the BI snapshot or PostgreSQL (docs/annex_a.md, docs/privacy.md).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.lib.annex_a import VIEW_SCHEMA, load_lists
from orchestration.lib.settings import load_settings

ANNEX_A_KEY = dg.AssetKey(["restricted_outputs", "annex_a_workbook"])
# The dbt views it reads, keyed as dagster-dbt keys them (schema, model). Written out rather than
# looked up with get_asset_key_for_model so that loading this module needs no dbt manifest;
# tests/unit/test_definitions.py checks that each key is a dbt model of the code location.
VIEW_KEYS = [dg.AssetKey([VIEW_SCHEMA, a.model]) for a in load_lists() if a.model]


class AnnexAConfig(dg.Config):
    la_code: str
    date_from: str | None = None  # ISO dates; default: each list's window ending at the data date
    date_to: str | None = None
    pseudonymised: bool = False
    out: str | None = None  # relative to the restricted folder


@dg.asset(
    key=ANNEX_A_KEY,
    group_name="restricted_outputs",
    kinds={"duckdb", "excel"},
    deps=VIEW_KEYS,
    pool="warehouse",
    description="Ofsted Annex A workbook (Lists 1-11, January 2024 layout) for one authority, identified, "
    "in the restricted folder. On request only: not part of the nightly run.",
)
def annex_a_workbook(
    context: dg.AssetExecutionContext, config: AnnexAConfig, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    from datetime import date

    from orchestration.lib.annex_a import produce

    window = [date.fromisoformat(d) if d else None for d in (config.date_from, config.date_to)]
    with duckdb.get_connection() as con:
        path, results = produce(
            con,
            load_settings().restricted_dir,
            config.la_code,
            window[0],
            window[1],
            config.out,
            config.pseudonymised,
            context.run.run_id,
        )
    # Counts and reasons only: no child-level value enters the Dagster instance.
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "la_code": config.la_code,
            "pseudonymised": config.pseudonymised,
            **{f"list_{r.number}_rows": r.rows for r in results},
            "not_filled": dg.MetadataValue.text(
                "; ".join(
                    f"List {r.number}: {r.not_filled_because}"
                    for r in results
                    if r.not_filled_because
                )
                or "none"
            ),
        }
    )


annex_a_job = dg.define_asset_job(
    "annex_a_job",
    selection=dg.AssetSelection.assets(ANNEX_A_KEY),
    description="Ofsted Annex A for one authority (run config: la_code), into the restricted folder.",
    executor_def=dg.in_process_executor,
)
