"""A crash at any point of an authority's load leaves the warehouse as it was, and a clean re-run
gives the same warehouse as a run that never crashed."""

import subprocess
import sys
import textwrap

import pytest

from orchestration.lib.ingest import loader
from orchestration.lib.ingest.loader import load_landing
from orchestration.lib.settings import REPO_ROOT

from .conftest import LATER, QUIET, add_drop, connect, snapshot


class Crash(Exception):
    pass


def crash_after(monkeypatch, name: str, calls: int):
    """Make loader.<name> raise once it has been called `calls` times (after the real call runs)."""
    real = getattr(loader, name)
    seen = {"n": 0}

    def wrapper(*args, **kwargs):
        out = real(*args, **kwargs)
        seen["n"] += 1
        if seen["n"] >= calls:
            raise Crash(f"simulated crash in {name} after call {seen['n']}")
        return out

    monkeypatch.setattr(loader, name, wrapper)


@pytest.fixture(scope="module")
def two_states(tmp_path_factory, small_drop):
    """A landing with one drop per authority, the same with a newer drop added, and the warehouse
    of a run on the first then a run on the second that never crashed."""
    import shutil

    base = tmp_path_factory.mktemp("crash")
    first = base / "first"
    shutil.copytree(small_drop, first)
    second = base / "second"
    shutil.copytree(small_drop, second)
    add_drop(second, ["884", "801"], LATER, base, seed=2)
    con = connect(base / "never_crashed.duckdb")
    load_landing(con, first, "a", **QUIET)
    load_landing(con, second, "b", **QUIET)
    expected = snapshot(con)
    con.close()
    return first, second, expected


# (function, number of calls after which it raises): staging, taking children from parent rows,
# half-way through publishing (tables already replaced inside the transaction), after counting
# orphans, after the load log is written
CRASH_POINTS = [
    ("_stage_file", 7),
    ("derive_children", 9),
    ("_publish_raw", 20),
    ("count_orphans", 1),
    ("_write_log", 1),
]


@pytest.mark.parametrize("name,calls", CRASH_POINTS)
def test_crash_leaves_previous_state_and_rerun_equals_never_crashed(
    two_states, tmp_path, monkeypatch, name, calls
):
    first, second, never_crashed = two_states
    con = connect(tmp_path / "w.duckdb")
    load_landing(con, first, "a", **QUIET)
    before = snapshot(con, exclude=set())
    with monkeypatch.context() as m:
        crash_after(m, name, calls)
        with pytest.raises(Crash):
            load_landing(con, second, "b", **QUIET)
    assert snapshot(con, exclude=set()) == before  # the first authority's transaction rolled back
    report = load_landing(con, second, "b", **QUIET)
    assert sorted(report.loaded_authorities) == ["801", "884"]
    assert snapshot(con) == never_crashed


def test_process_killed_mid_transaction_leaves_previous_state(two_states, tmp_path):
    """A real crash (the process dies, no rollback): DuckDB recovers the last committed state."""
    first, second, never_crashed = two_states
    db = tmp_path / "w.duckdb"
    con = connect(db)
    load_landing(con, first, "a", **QUIET)
    before = snapshot(con, exclude=set())
    con.close()
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        import duckdb
        from orchestration.lib.ingest import loader
        real, n = loader._publish_raw, [0]
        def dying(*a, **k):
            real(*a, **k)
            n[0] += 1
            if n[0] == 10:
                os._exit(3)
        loader._publish_raw = dying
        con = duckdb.connect({str(db)!r})
        loader.load_landing(con, Path({str(second)!r}), "b", log=lambda s: None)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    con = connect(db)
    assert snapshot(con, exclude=set()) == before
    load_landing(con, second, "b", **QUIET)
    assert snapshot(con) == never_crashed
