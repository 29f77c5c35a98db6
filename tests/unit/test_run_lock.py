"""One run at a time per warehouse (orchestration/lib/runlock.py), refused at once with exit code
2 and who holds it; a killed holder never leaves a stale lock; a process holding the warehouse
file itself is named; dbt's launcher dies with its parent (orchestration/lib/dbt_child.py).
The killed-real-run tests are in tests/integration/test_crash_run.py."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from orchestration.lib.runlock import WarehouseBusy, check_warehouse_free, lock_path, run_lock

CSCW = Path(sys.executable).parent / "cscw"


def cscw_run(tmp_path, warehouse):
    (tmp_path / "landing").mkdir(exist_ok=True)
    env = {**os.environ, "CSCW_HOME": str(tmp_path / "home")}
    started = time.monotonic()
    proc = subprocess.run(
        [str(CSCW), "run", "--landing", str(tmp_path / "landing"), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    return proc, time.monotonic() - started


def holder(code: str, ready: str = "ready"):
    """A Python process that runs `code`, prints `ready` and sleeps until killed."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            code + f"\nprint({ready!r}, flush=True)\nimport time\ntime.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == ready
    return proc


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":  # dead, waiting for its parent to reap it: holds nothing
            return True
        time.sleep(0.05)
    return False


def test_second_run_is_refused_at_once_naming_the_running_one(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with run_lock(warehouse, command="cscw run --landing elsewhere") as record:
        proc, seconds = cscw_run(tmp_path, warehouse)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert seconds < 30  # no Dagster, dbt or DuckDB started: only the CLI's own imports
    message = proc.stderr
    assert "another cscw run is using the warehouse" in message
    assert (
        f"pid {os.getpid()}" in message
        and record["started"] in message
        and "cscw run --landing elsewhere" in message
    )
    assert str(lock_path(warehouse)) in message
    assert "Traceback" not in message and "IO Error" not in message
    assert not warehouse.exists()  # the refused run opened nothing


def test_lock_records_the_holder_and_is_free_again_after(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with run_lock(warehouse, command="cscw run x"):
        record = json.loads(lock_path(warehouse).read_text())
        assert record["pid"] == os.getpid() and record["command"] == "cscw run x"
        # a second open file description: flock refuses it
        with pytest.raises(WarehouseBusy, match=f"pid {os.getpid()}"), run_lock(warehouse):
            pass
    with run_lock(warehouse):
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    proc = holder(
        textwrap.dedent(f"""
        from pathlib import Path
        from orchestration.lib.runlock import run_lock
        lock = run_lock(Path({str(warehouse)!r}), command="killed run")
        lock.__enter__()""")
    )
    with pytest.raises(WarehouseBusy, match=f"pid {proc.pid}"), run_lock(warehouse):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    with run_lock(warehouse) as record:  # the kernel released the dead process's flock
        assert record["pid"] == os.getpid()


def test_a_process_holding_the_warehouse_is_named(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    import duckdb

    duckdb.connect(str(warehouse)).close()
    proc = holder(f"import duckdb\ncon = duckdb.connect({str(warehouse)!r})")
    try:
        with pytest.raises(WarehouseBusy, match=f"held open by process {proc.pid}"):
            check_warehouse_free(warehouse)
        run, _ = cscw_run(tmp_path, warehouse)
        assert run.returncode == 2, run.stdout + run.stderr
        assert f"held open by process {proc.pid}" in run.stderr and f"kill {proc.pid}" in run.stderr
        assert "Traceback" not in run.stderr
    finally:
        proc.kill()
        proc.wait(timeout=10)
    check_warehouse_free(warehouse)  # free again


def test_dbt_launcher_dies_with_its_parent():
    """A parent starts a child that arms the launcher's parent-death signal, then is SIGKILLed:
    the kernel kills the child too (as it kills dbt when a run is SIGKILLed)."""
    child = (
        "from orchestration.lib.dbt_child import _die_with_parent\n_die_with_parent()\n"
        "print('armed', flush=True)\nimport time\ntime.sleep(600)"
    )
    parent_code = (
        f"import subprocess, sys, time\nchild = subprocess.Popen([sys.executable, '-c', {child!r}])\n"
        "print(child.pid, flush=True)\ntime.sleep(600)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True
    )
    try:
        child_pid = int(parent.stdout.readline())
        assert parent.stdout.readline().strip() == "armed"  # the child shares the parent's stdout
        assert not gone(child_pid, within=0.5)
    finally:
        parent.kill()
        parent.wait(timeout=10)
    assert gone(child_pid), f"child {child_pid} outlived its SIGKILLed parent"


def test_running_reports_the_holder_without_taking_the_lock(tmp_path):
    from orchestration.lib.runlock import running

    warehouse = tmp_path / "w.duckdb"
    assert running(warehouse) is None
    with run_lock(warehouse, command="cscw run y"):
        assert running(warehouse)["command"] == "cscw run y"
    assert running(warehouse) is None
    with run_lock(warehouse):  # running() left nothing held
        pass
