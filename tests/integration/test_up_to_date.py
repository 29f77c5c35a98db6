"""Nothing new costs nothing (issue 15): after a good run on tests/fixtures/landing_small, the
same `cscw run` says "up to date", exits 0 within seconds and leaves the publication and the
warehouse untouched; a new drop or a touched file makes the next run a real one.

One real pipeline run only (CI's budget): the run after the touch goes as far as the pipeline's
entry point, which is replaced by a stand-in that records it was called."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

CSCW = Path(sys.executable).parent / "cscw"
pytestmark = pytest.mark.slow


def state(folder: Path) -> dict:
    """Every file under a folder: bytes and mtime_ns. The run lock's record of its last holder is
    left out: the up-to-date answer is given under the lock (so it cannot race a running run),
    and taking the lock rewrites who holds it."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".duckdb.lock")
    }


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    from orchestration.cli import main

    work = tmp_path_factory.mktemp("up_to_date")
    landing = work / "landing"
    shutil.copytree(FIXTURES / "landing_small", landing)
    args = [
        "run",
        "--landing",
        str(landing),
        "--warehouse",
        str(work / "warehouse.duckdb"),
        "--publish",
        str(work / "publish"),
    ]
    code = main(args)
    return {"code": code, "args": args, "work": work, "landing": landing}


def test_first_run_publishes_and_records_its_fingerprint(first):
    assert first["code"] == 0
    stored = first["work"] / "warehouse.duckdb.fingerprint.json"
    assert stored.is_file()
    assert os.environ["CSCW_PSEUDONYM_KEY"] not in stored.read_text()


def test_nothing_new_is_up_to_date_in_seconds_and_touches_nothing(first):
    work = first["work"]
    publication, warehouse = state(work / "publish"), state(work)
    current = os.readlink(work / "publish" / "current")
    started = time.perf_counter()
    proc = subprocess.run(
        [str(CSCW), *first["args"]], check=False, capture_output=True, text=True, timeout=120
    )
    seconds = time.perf_counter() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("up to date: nothing new since run ")
    assert proc.stdout.rstrip().endswith("(1 authorities, 1 drops); nothing rebuilt")
    assert seconds < 5, seconds  # a new process: interpreter start, argument checks, fingerprint
    assert os.readlink(work / "publish" / "current") == current
    assert state(work / "publish") == publication  # byte-identical, same mtimes
    assert state(work) == warehouse  # warehouse and everything beside it too


def test_a_new_drop_makes_a_run_due_and_its_removal_does_not(first):
    from orchestration.lib import fingerprint
    from orchestration.lib.settings import load_settings

    settings = load_settings()  # the first run exported its paths
    assert fingerprint.up_to_date(settings, fingerprint.compute(settings)) is not None
    drop = first["landing"] / "884" / "2024-07-31"
    shutil.copytree(first["landing"] / "884" / "2024-06-30", drop)
    assert fingerprint.up_to_date(settings, fingerprint.compute(settings)) is None
    shutil.rmtree(drop)
    assert fingerprint.up_to_date(settings, fingerprint.compute(settings)) is not None


def test_a_touched_file_makes_the_next_run_a_real_one(first, monkeypatch):
    from orchestration import cli

    calls = []
    monkeypatch.setattr(
        cli,
        "run_pipeline",
        lambda settings, accept=None, per_authority=False: calls.append(per_authority) or 0,
    )
    person = first["landing"] / "884" / "2024-06-30" / "ssd_person.csv"
    st = person.stat()
    os.utime(person, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cli.main(first["args"]) == 0
    # The pipeline was started, per authority: only the landing area changed since the first run.
    assert calls == [True]
