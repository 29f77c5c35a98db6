"""The auditors' data-quality report as a Dagster asset: after the checks, before publication.

It reads what the checks recorded (quality.check_results) and the ingestion provenance
(raw_meta), writes quality.dq_report / quality.dq_quarantine_reasons and the HTML report in
$CSCW_QUALITY_DIR/report/. It never fails the run: an error is logged and reported in the
metadata, so the report cannot block publication. It runs after the gate (quality/verdicts), so
every check has recorded its results and the report shows each authority's verdict, and after the
DfE validators (quality/dq_dfe_findings), whose findings it shows.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from orchestration.defs.quality.dfe_asset import DFE_FINDINGS_KEY
from orchestration.defs.quality.verdicts_asset import VERDICTS_KEY
from orchestration.lib.settings import load_settings


@dg.asset(
    key=["quality", "dq_report"],
    group_name="quality",
    kinds={"duckdb", "html"},
    deps=[VERDICTS_KEY, DFE_FINDINGS_KEY],
    pool="warehouse",
    description="Data-quality report per authority and table: rows read, loaded and quarantined by reason, "
    "expectation results, trend over runs (quality.dq_report + HTML).",
)
def dq_report(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    from orchestration.lib.quality.quality_report import build_report

    settings = load_settings()
    run_id = context.run.run_id
    try:
        with duckdb.get_connection() as con:
            index = build_report(con, run_id, settings.quality_dir)
            rows, worst = con.execute(
                """SELECT count(*), min(CASE worst_severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1
                                                           WHEN 'info' THEN 2 END)
                   FROM quality.dq_report WHERE run_id = ?""",
                [run_id],
            ).fetchall()[0]
    except Exception as exc:  # noqa: BLE001 - the report must not block publication
        context.log.error(f"data-quality report failed: {exc!r}")
        return dg.MaterializeResult(metadata={"error": dg.MetadataValue.text(repr(exc)[:2000])})
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.path(str(index)),
            "data_docs": dg.MetadataValue.path(
                str(settings.quality_dir / "data_docs" / "index.html")
            ),
            "rows": dg.MetadataValue.int(rows),
            "worst_severity": dg.MetadataValue.text(
                {0: "critical", 1: "warning", 2: "info"}.get(worst, "none")
            ),
            "tables": dg.MetadataValue.text(
                "quality.dq_report, quality.dq_quarantine_reasons, quality.check_results"
            ),
        }
    )
