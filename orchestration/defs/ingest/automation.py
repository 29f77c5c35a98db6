"""When the warehouse runs: a sensor that notices new drops, and a daily schedule.

Both launch `warehouse_job` (referenced by name, so this module does not import the definitions).
The sensor's run key is a fingerprint of every landing file (authority, drop, table, size, mtime):
each new state of the landing area launches exactly one run, and an unchanged landing area
launches nothing (Dagster skips a run key it has already seen; the cursor skips it earlier still).

| variable             | default       | what                                             |
|----------------------|---------------|--------------------------------------------------|
| CSCW_SENSOR_SECONDS  | 300           | minimum interval between two sensor evaluations  |
| CSCW_DAILY_CRON      | 0 6 * * *     | the daily schedule (Europe/London)               |
| CSCW_AUTOMATION      | off           | `on`: sensor and schedule start running by default |
"""

import hashlib
import os

import dagster as dg

from orchestration.lib.ingest.landing import LandingScan, scan_landing
from orchestration.lib.settings import env_flag, load_settings

JOB_NAME = "warehouse_job"
SENSOR_SECONDS = int(os.environ.get("CSCW_SENSOR_SECONDS") or 300)
DAILY_CRON = os.environ.get("CSCW_DAILY_CRON") or "0 6 * * *"
TIMEZONE = "Europe/London"
DEFAULT_STATUS = (
    dg.DefaultSensorStatus.RUNNING
    if env_flag("CSCW_AUTOMATION", False)
    else dg.DefaultSensorStatus.STOPPED
)


def landing_fingerprint(scan: LandingScan) -> str:
    """Changes whenever a landing file is added, removed, resized or touched."""
    h = hashlib.sha256()
    for f in sorted(scan.files, key=lambda f: (f.la_code, f.extract_date, f.table, f.path.name)):
        h.update(
            f"{f.la_code}|{f.extract_date}|{f.table}|{f.path.name}|{f.size}|{f.mtime_ns}\n".encode()
        )
    return h.hexdigest()


@dg.sensor(
    name="new_drop_sensor",
    job_name=JOB_NAME,
    minimum_interval_seconds=SENSOR_SECONDS,
    default_status=DEFAULT_STATUS,
    description="Launches warehouse_job once for every new state of the landing area (a new or changed drop).",
)
def new_drop_sensor(context: dg.SensorEvaluationContext):
    settings = load_settings()
    landing = settings.landing
    try:
        # a file still within the settle window is not part of the state yet: the run it would
        # request would leave it aside, and no later state would bring it in
        scan = scan_landing(landing, settle_seconds=settings.landing_settle_seconds)
    except FileNotFoundError:
        return dg.SkipReason(f"landing area {landing} does not exist")
    if not scan.files:
        return dg.SkipReason(f"landing area {landing} holds no extracts")
    fp = landing_fingerprint(scan)
    if context.cursor == fp:
        return dg.SkipReason("no new or changed files since the last run request")
    drops = sorted({(f.la_code, f.extract_date.isoformat()) for f in scan.files})
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=fp,
                tags={
                    "cscw/trigger": "new_drop_sensor",
                    "cscw/landing_files": str(len(scan.files)),
                    "cscw/authorities": str(len(scan.authorities())),
                    "cscw/drops": str(len(drops)),
                },
            )
        ],
        cursor=fp,
    )


daily_schedule = dg.ScheduleDefinition(
    name="daily_schedule",
    job_name=JOB_NAME,
    cron_schedule=DAILY_CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING
    if DEFAULT_STATUS == dg.DefaultSensorStatus.RUNNING
    else dg.DefaultScheduleStatus.STOPPED,
    description="Runs warehouse_job every day (ingest does no work when no new drops arrived).",
)
