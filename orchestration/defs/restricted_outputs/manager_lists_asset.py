"""The managers' overdue lists after each published run, when CSCW_MANAGER_LISTS is on.

Downstream of the published snapshot and read from it (lib/manager_lists.py), so each authority's
lists equal what was published for it; an authority held back in this run gets no new lists (its
published rows are those of an earlier run, whose lists stand; `cscw lists` rewrites them on
request). Not part of the BI publication: nothing downstream reads the restricted folder. A
failure here is logged and does not fail the run: the snapshot is already published.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.publish.assets import published_snapshot
from orchestration.lib.settings import load_settings


@dg.asset(
    key=["restricted_outputs", "manager_lists"],
    group_name="restricted_outputs",
    kinds={"duckdb", "excel"},
    deps=[published_snapshot],
    pool="warehouse",
    output_required=False,
    description="Identified overdue and due-soon lists per team and service area (case-management ids, "
    "workers' names) from the published exception lists, into $CSCW_RESTRICTED_DIR/lists; "
    "only when CSCW_MANAGER_LISTS is on.",
)
def manager_lists(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    from orchestration.lib.manager_lists import published_authorities, write_lists
    from orchestration.lib.publish import current_snapshot
    from orchestration.lib.quality.verdicts import held_back, read_verdicts

    settings = load_settings()
    if not settings.manager_lists:
        context.log.info("CSCW_MANAGER_LISTS is off: no managers' lists written")
        return
    snapshot = current_snapshot(settings.publish_dir)
    if snapshot is None:
        context.log.warning("nothing published: no managers' lists written")
        return
    written, errors = {}, {}
    with duckdb.get_connection() as con:
        held = set(held_back(read_verdicts(con, context.run.run_id)))
        for la_code in published_authorities(snapshot, con):
            if la_code in held:
                context.log.info(f"{la_code} held back: its lists from its last publication stand")
                continue
            try:
                result = write_lists(con, snapshot, settings.restricted_dir, la_code)
            except Exception as exc:  # noqa: BLE001 - the snapshot is published; say what failed
                context.log.error(f"managers' lists for {la_code} failed: {exc!r}")
                errors[la_code] = repr(exc)[:500]
                continue
            written[la_code] = {
                "folder": str(result.folder),
                "workbooks": len(result.workbooks),
                "items": sum(b.rows for b in result.workbooks if b.unit == "team"),
            }
    yield dg.MaterializeResult(
        metadata={
            "identified": dg.MetadataValue.text(
                "restricted folder: case-management ids and workers' names"
            ),
            "restricted_dir": dg.MetadataValue.path(str(settings.restricted_dir)),
            "authorities": dg.MetadataValue.json(written),
            "errors": dg.MetadataValue.json(errors),
        }
    )
