"""defs/transform/parse_ahead.py: ingestion starts `dbt parse` only when the warehouse has no
current parse state, and the dbt step keeps what it wrote (a fake dbt resource: no dbt runs)."""

import os

import pytest

from orchestration.defs.transform import parse_ahead
from orchestration.lib.dbt_manifest import newest_source_mtime
from orchestration.lib.dbt_state import PARSE_STATE, DbtState


class Invocation:
    def __init__(self, target_path, ok):
        self.target_path, self.ok = target_path, ok

    def is_successful(self):
        return self.ok


class FakeDbt:
    """Records its calls; "parses" by writing a state file, as dbt parse does."""

    def __init__(self, ok=True):
        self.calls, self.ok = [], ok

    def cli(self, args, target_path, raise_on_error):
        self.calls.append(args)
        if self.ok:
            (target_path / PARSE_STATE).write_bytes(b"parsed ahead")
        return Invocation(target_path, self.ok)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CSCW_HOME", str(tmp_path))
    return tmp_path


def test_without_parse_state_a_parse_starts_and_the_build_gets_its_state(home):
    dbt = FakeDbt()
    assert parse_ahead.start("run-1", dbt) is True
    # the build's own vars: a parse under other vars would be parsed again by the build
    assert dbt.calls == [["parse", "--vars", "{cscw_tests_severity: warn}"]]
    assert parse_ahead.finish("run-1").endswith("done: the build starts from its state")
    build = DbtState(home).target("run-1", "build")
    assert (build / PARSE_STATE).read_bytes() == b"parsed ahead"
    assert parse_ahead.finish("run-1") is None  # waited for once


def test_a_current_parse_state_starts_nothing(home):
    state = home / "dbt" / PARSE_STATE
    state.parent.mkdir(parents=True)
    state.write_bytes(b"from the last build")
    newer = newest_source_mtime() + 60
    os.utime(state, (newer, newer))
    dbt = FakeDbt()
    assert parse_ahead.start("run-2", dbt) is False
    assert dbt.calls == [] and parse_ahead.finish("run-2") is None


def test_a_parse_state_older_than_the_project_files_is_parsed_again(home):
    state = home / "dbt" / PARSE_STATE
    state.parent.mkdir(parents=True)
    state.write_bytes(b"stale")
    older = newest_source_mtime() - 60
    os.utime(state, (older, older))
    assert parse_ahead.start("run-3", FakeDbt()) is True
    parse_ahead.finish("run-3")
    assert state.read_bytes() == b"parsed ahead"


def test_a_failed_parse_keeps_nothing(home):
    assert parse_ahead.start("run-4", FakeDbt(ok=False)) is True
    assert parse_ahead.finish("run-4").endswith("failed: the build parses again")
    assert not (home / "dbt" / PARSE_STATE).exists()


def test_nothing_is_parsed_ahead_when_dbt_builds_on_spark(home, monkeypatch):
    # the Spark build parses in its own environment, for its own target: a DuckDB parse is waste
    monkeypatch.setenv("CSCW_ENGINE", "spark")
    dbt = FakeDbt()
    assert parse_ahead.start("run-1", dbt) is False
    assert dbt.calls == []
    assert parse_ahead.finish("run-1") is None
