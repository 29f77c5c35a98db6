"""dbt's parse of the project for this warehouse, started while ingestion runs.

dbt keeps its parse state per warehouse (lib/dbt_state.py). Without a current one (the
warehouse's first run, or the first after the dbt project changed), the dbt build first parses
the whole project: about 7 s of one core, before any model runs. A parse reads no data and opens
no warehouse, so ingestion starts it as a `dbt parse` of its own, with the build's own
arguments and environment (the same dbt resource), and the dbt step waits for it and builds from
its state. With a current state nothing is started.
"""

from __future__ import annotations

from typing import Any

from orchestration.lib.dbt_manifest import newest_source_mtime
from orchestration.lib.dbt_state import DbtState
from orchestration.lib.settings import load_settings

# The build's vars (defs/transform/dbt_assets.py): dbt parses again when they differ.
BUILD_VARS = ["--vars", "{cscw_tests_severity: warn}"]

_started: dict[str, Any] = {}  # run id -> the parse's DbtCliInvocation


def start(run_id: str, dbt: Any) -> bool:
    """Start `dbt parse` in the background unless the warehouse's parse state is current (or
    dbt builds on Spark, which parses in its own environment)."""
    settings = load_settings()
    if settings.engine != "duckdb":
        return False
    state = DbtState(settings.home)
    if state.is_current(newest_source_mtime()):
        return False
    _started[run_id] = dbt.cli(
        ["parse", *BUILD_VARS], target_path=state.target(run_id, "parse"), raise_on_error=False
    )
    return True


def finish(run_id: str) -> str | None:
    """Wait for the run's parse, if it started one, and keep its state for the build; what
    happened, for the step's log (None when nothing was started)."""
    invocation = _started.pop(run_id, None)
    if invocation is None:
        return None
    if not invocation.is_successful():  # the build parses for itself, and says why if it fails
        return "dbt parse, started during ingestion, failed: the build parses again"
    DbtState(load_settings().home).keep_parse_state(invocation.target_path)
    return "dbt parse, started during ingestion, done: the build starts from its state"
