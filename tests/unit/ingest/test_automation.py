"""The new-drop sensor and the daily schedule: one run request per new landing state."""

import os
from pathlib import Path

import dagster as dg

from orchestration.defs.ingest.automation import daily_schedule, new_drop_sensor


def _drop(landing: Path, la: str, day: str, table: str, text: str = "a\n1\n") -> Path:
    path = landing / la / day / f"{table}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _evaluate(cursor=None):
    return new_drop_sensor(dg.build_sensor_context(cursor=cursor))


def test_new_landing_requests_one_run_and_same_landing_the_same_key(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    monkeypatch.setenv("CSCW_LANDING", str(landing))
    _drop(landing, "884", "2025-03-31", "ssd_person")
    _drop(landing, "801", "2025-03-31", "ssd_person")
    first = _evaluate()
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    key = first.run_requests[0].run_key
    assert first.run_requests[0].tags["cscw/authorities"] == "2"
    again = _evaluate()
    assert again.run_requests[0].run_key == key  # Dagster launches a run key once
    assert isinstance(
        _evaluate(cursor=first.cursor), dg.SkipReason
    )  # unchanged since the last request

    _drop(landing, "884", "2025-04-30", "ssd_person")  # a new drop: a new state, a new run
    newer = _evaluate(cursor=first.cursor)
    assert isinstance(newer, dg.SensorResult) and newer.run_requests[0].run_key != key

    touched = _drop(landing, "884", "2025-04-30", "ssd_person", "a\n12\n")  # re-delivered, resized
    os.utime(touched, ns=(1, 1))
    assert _evaluate(cursor=newer.cursor).run_requests[0].run_key not in (
        key,
        newer.run_requests[0].run_key,
    )


def test_missing_or_empty_landing_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("CSCW_LANDING", str(tmp_path / "nowhere"))
    assert isinstance(_evaluate(), dg.SkipReason)
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("CSCW_LANDING", str(tmp_path / "empty"))
    assert isinstance(_evaluate(), dg.SkipReason)


def test_sensor_and_schedule_target_warehouse_job():
    assert new_drop_sensor.job_name == "warehouse_job"
    assert new_drop_sensor.minimum_interval_seconds == int(
        os.environ.get("CSCW_SENSOR_SECONDS") or 300
    )
    assert daily_schedule.job_name == "warehouse_job"
    assert daily_schedule.cron_schedule == (os.environ.get("CSCW_DAILY_CRON") or "0 6 * * *")
    assert daily_schedule.execution_timezone == "Europe/London"


def test_a_file_within_the_settle_window_is_not_part_of_the_landing_state_yet(
    tmp_path, monkeypatch
):
    landing = tmp_path / "landing"
    monkeypatch.setenv("CSCW_LANDING", str(landing))
    monkeypatch.setenv("CSCW_LANDING_SETTLE_SECONDS", "60")
    path = _drop(
        landing, "884", "2025-03-31", "ssd_person"
    )  # written now: may still be being written
    assert isinstance(_evaluate(), dg.SkipReason)  # no run that would leave it aside
    os.utime(path, (path.stat().st_mtime - 120,) * 2)  # settled
    settled = _evaluate()
    assert (
        isinstance(settled, dg.SensorResult)
        and settled.run_requests[0].tags["cscw/landing_files"] == "1"
    )
