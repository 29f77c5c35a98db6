"""One run at a time per warehouse, and a clear word when something else holds the warehouse.

`cscw run` (and `cscw demo`) take an exclusive `flock` on `<warehouse>.lock` before anything
opens the warehouse, and write into it who holds it (pid, host, start time, command). A second
run on the same warehouse is refused at once with that information (exit code 2), instead of
failing halfway with a DuckDB lock error.

The lock is an open file description held by the run's own process: the kernel releases it when
that process ends, however it ends (normal exit, Ctrl-C, SIGTERM, SIGKILL, a crash), so a killed
run never leaves a stale lock behind. The file itself stays (removing a flock file races with the
next run opening it); its content after a run is only a record of the last holder.

Something outside the lock can still hold the warehouse: a dbt process left over by a killed run
(the run's children are killed with it: orchestration/lib/dbt_child.py), a BI tool or a Python
shell pointed at the live file. `check_warehouse_free` opens the warehouse once before the run
starts and turns DuckDB's lock error into a message naming that process.
"""

import fcntl
import json
import os
import re
import socket
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class WarehouseBusy(Exception):
    """The warehouse is in use: another run holds the lock, or another process holds the file."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}


def describe_holder(holder: dict) -> str:
    if not holder.get("pid"):
        return "a run that is just starting"
    return (
        f"pid {holder['pid']} on {holder.get('host', '?')}, running since {holder.get('started', '?')}: "
        f"{holder.get('command', '?')}"
    )


@contextmanager
def run_lock(warehouse: Path, command: str | None = None):
    """Hold the warehouse's run lock for the block; WarehouseBusy at once if another run holds it."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC (Python's default): dbt and other children never inherit the lock, so only this
    # process holds it, and its death releases it.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WarehouseBusy(
            f"another cscw run is using the warehouse {warehouse}: {describe_holder(_holder(path))} "
            f"(lock file {path}). Wait for it to finish, or stop it (kill <pid>); the lock is released "
            "as soon as that process ends, however it ends."
        ) from None
    try:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command or " ".join(["cscw", *sys.argv[1:]]),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
        yield record
    finally:
        os.close(fd)  # releases the flock (the kernel does the same if this process is killed)


def running(warehouse: Path) -> dict | None:
    """The holder of the warehouse's run lock if a run holds it now, else None (nothing taken)."""
    path = lock_path(warehouse)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _holder(path)
    finally:
        os.close(fd)  # releases the shared lock if it was taken
    return None


_DUCKDB_PID = re.compile(r"PID (\d+)")


def _process(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        return " ".join(a.decode(errors="replace") for a in argv if a)[:200]
    except OSError:
        return ""


def check_warehouse_free(warehouse: Path) -> None:
    """WarehouseBusy naming the process (pid, command) when another process holds the warehouse
    file open (DuckDB allows one writing process). Call with the run lock held."""
    if not warehouse.exists():
        return
    import duckdb

    try:
        duckdb.connect(str(warehouse)).close()
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise
        match = _DUCKDB_PID.search(text)
        pid = int(match.group(1)) if match else None
        what = _process(pid) if pid else ""
        leftover = " (a dbt process left over by an earlier run)" if "dbt" in what else ""
        who = (
            f"process {pid}{leftover}" + (f": {what}" if what else "") if pid else "another process"
        )
        raise WarehouseBusy(
            f"the warehouse {warehouse} is held open by {who}. No cscw run holds it; stop that "
            f"process ({'kill ' + str(pid) if pid else 'see `fuser ' + str(warehouse) + '`'}) or close "
            "the tool that has the live warehouse open (BI tools read the published snapshot, not the "
            "warehouse), then run again."
        ) from None
