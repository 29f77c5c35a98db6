"""The Dagster code location: landing -> raw -> dbt (staging, conformed, KPI) -> checks -> verdicts -> publish
(the DfE validators' findings on the return files feed the data-quality report)."""

import dagster as dg

from orchestration.defs.ingest.assets import raw_tables, reference_bank_holidays
from orchestration.defs.ingest.automation import daily_schedule, new_drop_sensor
from orchestration.defs.publish import PUBLISH_ASSETS
from orchestration.defs.quality.checks import quality_checks
from orchestration.defs.quality.dfe_asset import dq_dfe_findings
from orchestration.defs.quality.report_asset import dq_report
from orchestration.defs.quality.verdicts_asset import verdicts
from orchestration.defs.resources import build_resources
from orchestration.defs.restricted_outputs.annex_a_asset import (
    ANNEX_A_KEY,
    annex_a_job,
    annex_a_workbook,
)
from orchestration.defs.restricted_outputs.manager_lists_asset import manager_lists
from orchestration.defs.transform.dbt_assets import warehouse_dbt_models
from orchestration.lib.settings import load_settings

# One process, one step at a time: DuckDB allows one writer, and dbt runs as a subprocess. The
# in-process executor also runs the gate (quality/verdicts) after every check (step priority).
warehouse_job = dg.define_asset_job(
    "warehouse_job",
    # Annex A is identified and made on request (its own job), never by the nightly run.
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(ANNEX_A_KEY),
    description="Ingest every authority and drop in the landing area, build, check, publish.",
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(
    assets=[
        raw_tables,
        reference_bank_holidays,
        warehouse_dbt_models,
        verdicts,
        dq_dfe_findings,
        dq_report,
        *PUBLISH_ASSETS,
        manager_lists,
        annex_a_workbook,
    ],
    asset_checks=quality_checks,
    jobs=[warehouse_job, annex_a_job],
    sensors=[new_drop_sensor],
    schedules=[daily_schedule],
    resources=build_resources(load_settings()),
)
