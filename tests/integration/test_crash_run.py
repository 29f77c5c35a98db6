"""Killing a real `cscw run` at any step and running again publishes what an uninterrupted run
publishes, and no process of the killed run (dbt) is left holding the warehouse.

Runs are expensive (about two minutes each on tests/fixtures/landing_small: dbt builds 218 nodes
and runs 1,052 tests), so one uninterrupted reference run on its own warehouse, and one chain
of kills on a second warehouse, each kill followed by the next run on what it left behind:

1. SIGTERM inside the ingest transaction (pause point `ingest`): the run stops, nothing loaded.
2. SIGKILL while dbt builds (after dbt has created some models): dbt dies with the run (the
   kernel's parent-death signal, orchestration/lib/dbt_child.py), nothing published.
3. (with CSCW_CRASH_TEST_GATE=1: one more whole run) SIGKILL at the gate, after it stored its
   verdicts (pause point `gate`); the next run is not refused (the lock died with the run) and
   is not held back by the killed run's rows.
4. SIGKILL while publishing, with the new snapshot written but not yet renamed (pause point
   `publish`): `current` does not exist (nothing was ever published), a `.partial` folder does.
5. A run to completion: exit 0; every published table has the same rows as the reference
   publication, the `.partial` folder is gone.

Each run after a SIGKILL also finds the killed run still "started" in the Dagster instance,
holding the `warehouse` pool slot of its step: it marks it failed and frees the slot (else it
would wait for that slot forever).

Each cscw run starts in its own session (process group), so "no process of the run remains" is
checked on the whole group, dbt included.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow

CSCW = Path(sys.executable).parent / "cscw"
LANDING = FIXTURES / "landing_small"
# A kill at the gate costs one more whole run (the state it leaves, verdicts stored and nothing
# published, is the state the kill while publishing starts from); on when this is set.
GATE = os.environ.get("CSCW_CRASH_TEST_GATE", "").lower() in ("1", "true", "yes", "on")
RUN_TIMEOUT = 1500  # seconds; a run takes about two minutes alone, much more on a loaded machine
# Columns that name the run or when it reported: they differ between any two runs, killed or not.
RUN_COLUMNS = {"run_id", "reported_at", "judged_at"}


class Run:
    """`cscw run` in its own session, its output collected line by line by a thread. dbt's and
    Dagster's lines (and the pause points' on stderr) go to the run's log file, not the terminal:
    `lines` is the console followed by that file, found from the run id the console prints first."""

    def __init__(self, home: Path, pause: str | None = None):
        self.home = home
        env = {
            **os.environ,
            "CSCW_HOME": str(home),
            "CSCW_LANDING": str(LANDING),
            "DBT_TARGET_PATH": str(home / "dbt_target"),
            "DBT_LOG_PATH": str(home / "dbt_logs"),
        }
        for name in ("CSCW_WAREHOUSE", "CSCW_PUBLISH_DIR", "CSCW_QUALITY_DIR", "DAGSTER_HOME"):
            env.pop(name, None)
        env.pop("CSCW_TEST_PAUSE_AT", None)
        if pause:
            env["CSCW_TEST_PAUSE_AT"] = pause
        self.proc = subprocess.Popen(
            [str(CSCW), "run", "--landing", str(LANDING)],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.console: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.console.append(line.rstrip("\n"))

    @property
    def lines(self) -> list[str]:
        console = list(self.console)
        run_ids = [m.group(1) for line in console if (m := re.match(r"Run (\S+):", line))]
        log = self.home / "logs" / f"run-{run_ids[0]}.log" if run_ids else None
        if log is None or not log.exists():
            return console
        return console + log.read_text(encoding="utf-8", errors="replace").splitlines()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = RUN_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            if any(regex.search(line) for line in list(self.lines)):
                return
            if self.proc.poll() is not None:
                self.reader.join(timeout=5)
                if any(regex.search(line) for line in self.lines):
                    return
                raise AssertionError(
                    f"run ended ({self.proc.returncode}) before {pattern!r}:\n{self.output[-4000:]}"
                )
            time.sleep(0.2)
        raise AssertionError(f"no {pattern!r} within {timeout} s:\n{self.output[-4000:]}")

    def group(self) -> list[tuple[int, str]]:
        """Live processes of the run's process group (dbt included), with their command lines."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (
                    (stat.parent / "cmdline")
                    .read_bytes()
                    .replace(b"\0", b" ")
                    .decode(errors="replace")
                )
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid and fields[0] != "Z":
                found.append((int(stat.parent.name), cmdline))
        return found

    def kill(self, sig: int) -> int:
        """Signal the cscw process only (not its group: its children must go by themselves)."""
        os.kill(self.proc.pid, sig)
        code = self.proc.wait(timeout=120)
        self.reader.join(timeout=10)
        deadline = time.monotonic() + 20
        while self.group() and time.monotonic() < deadline:
            time.sleep(0.2)
        left = self.group()
        for pid, _ in left:  # do not leave them running whatever the test says
            os.kill(pid, signal.SIGKILL)
        assert not left, f"processes of the killed run remain: {left}\n{self.output[-3000:]}"
        return code

    def finish(self) -> int:
        code = self.proc.wait(timeout=RUN_TIMEOUT)
        self.reader.join(timeout=10)
        return code


def publication(home: Path) -> dict[str, list]:
    """Every published table's rows, sorted, without the columns that name a run or its time.
    The data-quality tables keep a history of runs (the killed runs are in it: that is what it
    is for); of them, the rows of the run that published."""
    import json

    current = home / "publish" / "current"
    run_id = json.loads((current / "manifest.json").read_text())["run_id"]
    con = duckdb.connect()
    tables = {}
    try:
        for parquet in sorted((current / "parquet").glob("*.parquet")):
            source = f"read_parquet('{parquet}')"
            columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
            select = ", ".join(f'"{c}"' for c in columns if c not in RUN_COLUMNS)
            where = f"WHERE run_id = '{run_id}'" if "run_id" in columns else ""
            tables[parquet.stem] = con.execute(
                f"SELECT {select} FROM {source} {where} ORDER BY ALL"
            ).fetchall()
        published = duckdb.connect(str(current / "cscw.duckdb"), read_only=True)
        try:
            names = {
                r[0]
                for r in published.execute(
                    "SELECT table_name FROM information_schema.tables"
                ).fetchall()
            }
        finally:
            published.close()
        assert names == set(tables), (
            "the DuckDB file and the Parquet folder publish the same tables"
        )
    finally:
        con.close()
    return tables


@pytest.fixture(scope="module")
def reference(chain):
    return chain["reference"]


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """The kills, one after the other on one warehouse; the reference run on its own warehouse
    alongside them (it shares nothing with them: its own CSCW_HOME, so its own Dagster instance,
    run lock and dbt target)."""
    reference_home = tmp_path_factory.mktemp("reference")
    reference = Run(reference_home)
    home = tmp_path_factory.mktemp("killed")
    out = {"home": home}

    run = Run(home, pause="ingest")
    run.wait_for(r"cscw: paused at ingest")
    out["ingest_code"] = run.kill(signal.SIGTERM)
    out["ingest_output"] = run.output
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        out["ingested_after_ingest_kill"] = con.execute(
            "SELECT count(*) FROM raw_meta.authority_state"
        ).fetchall()[0][0]
    finally:
        con.close()

    run = Run(home)
    run.wait_for(r"\] dbt build started")  # the console's stage line
    run.wait_for(r"\b(2\d|[3-9]\d|\d{3}) of \d+ OK created")  # dbt is writing models
    out["dbt_processes"] = [cmd for _, cmd in run.group() if "dbt" in cmd]
    out["dbt_code"] = run.kill(signal.SIGKILL)

    if GATE:
        run = Run(home, pause="gate")
        run.wait_for(r"cscw: paused at gate")
        out["gate_code"] = run.kill(signal.SIGKILL)

    run = Run(home, pause="publish")
    run.wait_for(r"cscw: paused at publish")
    out["publish_code"] = run.kill(signal.SIGKILL)
    out["current_after_publish_kill"] = (home / "publish" / "current").exists()
    out["partials_after_publish_kill"] = list((home / "publish" / "snapshots").glob(".*.partial"))

    run = Run(home)
    out["final_code"] = run.finish()
    out["final_output"] = run.output
    out["partials_after_rerun"] = list((home / "publish" / "snapshots").glob(".*.partial"))
    out["publication"] = publication(home)
    out["recovered"] = [line for line in run.console if "was killed" in line]

    assert reference.finish() == 0, reference.output[-4000:]
    out["reference"] = publication(reference_home)
    return out


def test_sigterm_in_ingest_stops_the_run_and_rolls_back(chain):
    assert chain["ingest_code"] != 0
    assert (
        chain["ingested_after_ingest_kill"] == 0
    )  # the authority's load transaction never committed
    assert "Traceback" not in chain["ingest_output"], chain["ingest_output"][-3000:]


def test_sigkill_during_dbt_leaves_no_dbt(chain):
    assert chain["dbt_processes"], "dbt was running when the run was killed"
    assert chain["dbt_code"] == -signal.SIGKILL  # and Run.kill found no process of its group left


def test_next_run_marks_a_killed_run_failed_and_frees_its_pool_slot(chain):
    """Otherwise the run after a SIGKILL waits forever for the `warehouse` pool slot."""
    assert len(chain["recovered"]) == 1, chain["final_output"][
        :3000
    ]  # the run killed while publishing


def test_sigkill_while_publishing_leaves_no_current_and_next_run_cleans_up(chain):
    assert chain["publish_code"] == -signal.SIGKILL
    assert chain.get("gate_code", -signal.SIGKILL) == -signal.SIGKILL
    assert not chain["current_after_publish_kill"]  # never pointed at a half-written snapshot
    assert len(chain["partials_after_publish_kill"]) == 1
    assert chain["partials_after_rerun"] == []


def test_rerun_after_kills_publishes_what_an_uninterrupted_run_publishes(chain, reference):
    assert chain["final_code"] == 0, chain["final_output"][-4000:]
    got = chain["publication"]
    assert sorted(got) == sorted(reference)
    assert got.get("kpi_scorecard")
    # every published table, the verdicts included: the killed runs read the drop but never
    # published it (a drop is new until a run publishes its authority), so the rerun labels it
    # "published", as the uninterrupted run did
    different = [name for name in reference if got[name] != reference[name]]
    assert not different, {name: (got[name][:3], reference[name][:3]) for name in different}
