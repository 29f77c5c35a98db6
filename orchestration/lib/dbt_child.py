"""`cscw-dbt`: the dbt the pipeline runs, which dies with the run that started it.

dagster-dbt starts dbt with a plain `subprocess.Popen` (no hook into the child), and forwards
SIGINT to it when the run is interrupted (Ctrl-C, or SIGTERM, which Dagster maps to SIGINT
during execution), waiting for dbt to stop. A run that is SIGKILLed (or crashes) gets no such
chance, and its dbt would carry on holding the warehouse. So the dbt executable of the `dbt`
resource is this small launcher: it asks the Linux kernel to SIGKILL it when its parent dies
(prctl PR_SET_PDEATHSIG), then runs dbt's own command line in the same process, with the same
arguments, as the venv's `dbt` script would. DuckDB's write-ahead log makes a killed writer safe:
the next run replays or discards the unfinished transaction. Before dbt starts, it stops dbt
building the log events that no logger writes (`_drop_unlogged_events`).

The kernel sends the signal when the parent *thread* that started the child ends; dagster-dbt
starts dbt from the step's thread, which lives as long as the run's process in
`execute_in_process`. On systems without prctl (not Linux) the launcher only runs dbt; the next
run then names a left-over dbt that still holds the warehouse (orchestration/lib/runlock.py).
"""

import logging
import os
import signal
import sys
from pathlib import Path

from orchestration.lib.measures import export_to_dbt

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl took effect: nobody to work for
        os._exit(1)


def _drop_unlogged_events() -> None:
    """dbt (1.11, dbt-common 1.39) builds every event it fires, its protobuf message and each
    logger's line (JSON for Dagster), before Python's logging drops the lines below the logger's
    level: some 36 debug events a test. That is about a quarter of `dbt test` on this project
    (docs/performance.md). A debug event below the level of every logger is dropped before it is
    built, unless a callback other than dbt's usage tracking (which reads warnings only, and is
    off: dbt_project.yml) is listening, as a `dbtRunner(callbacks=...)` would. Warnings are never
    dropped (`--warn-error` turns them into errors). With a debug log file (CSCW_LOG_LEVEL=DEBUG)
    a logger is at debug, and nothing is dropped. Another dbt-common without these names: dbt
    runs as it is."""
    try:
        from dbt_common.events.event_manager import EventManager
        from dbt_common.events.logger import _log_level_map
    except ImportError:
        return
    build = EventManager.fire_event

    def fire_event(self, e, level=None, node=None, force_warn_or_error_handling=False):
        wanted = _log_level_map[level or e.level_tag()]
        if (
            wanted < logging.INFO
            and not force_warn_or_error_handling
            and all(wanted < _log_level_map[logger.level] for logger in self.loggers)
            and all(
                getattr(cb, "__name__", "") == "track_behavior_change_warn" for cb in self.callbacks
            )
        ):
            return
        build(self, e, level, node, force_warn_or_error_handling)

    EventManager.fire_event = fire_event


def main() -> None:
    _die_with_parent()
    export_to_dbt()  # the measure ids dbt parses with, from the catalogue as it is now
    # dbt's own debug log (dbt.log in the invocation's target folder: every SQL statement, some
    # 40 lines a model) costs about a tenth of a dbt run on this machine; its INFO output is in
    # the run's log file. CSCW_LOG_LEVEL=DEBUG (README) keeps it.
    if os.environ.get("CSCW_LOG_LEVEL", "INFO").upper() != "DEBUG":
        os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    _drop_unlogged_events()
    from dbt.cli.main import cli  # after prctl: importing dbt takes a second or two

    sys.argv[0] = str(Path(sys.executable).parent / "dbt")  # as the `dbt` script starts it
    sys.exit(cli())


if __name__ == "__main__":
    main()
