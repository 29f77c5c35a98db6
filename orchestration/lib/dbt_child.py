"""`cscw-dbt`: the dbt the pipeline runs, which dies with the run that started it.

dagster-dbt starts dbt with a plain `subprocess.Popen` (no hook into the child), and forwards
SIGINT to it when the run is interrupted (Ctrl-C, or SIGTERM, which Dagster maps to SIGINT
during execution), waiting for dbt to stop. A run that is SIGKILLed (or crashes) gets no such
chance, and its dbt would carry on holding the warehouse. So the dbt executable of the `dbt`
resource is this small launcher: it asks the Linux kernel to SIGKILL it when its parent dies
(prctl PR_SET_PDEATHSIG, kept across exec), then replaces itself with the venv's real dbt (same
pid, same arguments). DuckDB's write-ahead log makes a killed writer safe: the next run replays
or discards the unfinished transaction.

The kernel sends the signal when the parent *thread* that started the child ends; dagster-dbt
starts dbt from the step's thread, which lives as long as the run's process in
`execute_in_process`. On systems without prctl (not Linux) the launcher only execs dbt; the next
run then names a left-over dbt that still holds the warehouse (orchestration/lib/runlock.py).
"""

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


def main() -> None:
    _die_with_parent()
    export_to_dbt()  # the measure ids dbt parses with, from the catalogue as it is now
    # dbt's own debug log (dbt.log in the invocation's target folder: every SQL statement, some
    # 40 lines a model) costs about a tenth of a dbt run on this machine; its INFO output is in
    # the run's log file. CSCW_LOG_LEVEL=DEBUG (README) keeps it.
    if os.environ.get("CSCW_LOG_LEVEL", "INFO").upper() != "DEBUG":
        os.environ.setdefault("DBT_LOG_LEVEL_FILE", "none")
    dbt = Path(sys.executable).parent / "dbt"
    os.execv(dbt, [str(dbt), *sys.argv[1:]])


if __name__ == "__main__":
    main()
