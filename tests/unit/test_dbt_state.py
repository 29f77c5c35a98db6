"""lib/dbt_state.py: each warehouse's dbt parse state is reused by its next invocation, and only
the latest run's target folders are kept."""

from orchestration.lib.dbt_state import PARSE_STATE, DbtState


def test_first_invocation_starts_without_parse_state(tmp_path):
    target = DbtState(tmp_path).target("run-1", "build")
    assert target == tmp_path / "dbt" / "runs" / "run-1" / "build"
    assert target.is_dir() and list(target.iterdir()) == []


def test_parse_state_written_by_one_invocation_seeds_the_next(tmp_path):
    state = DbtState(tmp_path)
    build = state.target("run-1", "build")
    (build / PARSE_STATE).write_bytes(b"state after build")  # what dbt writes after parsing
    state.keep_parse_state(build)

    test = state.target("run-1", "test")
    assert (test / PARSE_STATE).read_bytes() == b"state after build"
    # a later run's first invocation gets it too
    assert (state.target("run-2", "build") / PARSE_STATE).read_bytes() == b"state after build"


def test_an_invocation_that_wrote_no_parse_state_keeps_the_previous_one(tmp_path):
    state = DbtState(tmp_path)
    first = state.target("run-1", "build")
    (first / PARSE_STATE).write_bytes(b"good")
    state.keep_parse_state(first)
    failed = state.target("run-2", "build")
    (failed / PARSE_STATE).unlink()  # dbt stopped before parsing: nothing written
    state.keep_parse_state(failed)
    assert (tmp_path / "dbt" / PARSE_STATE).read_bytes() == b"good"


def test_target_folder_reused_by_a_retried_invocation_is_emptied(tmp_path):
    state = DbtState(tmp_path)
    target = state.target("run-1", "build")
    (target / "run_results.json").write_text("{}")
    assert not (state.target("run-1", "build") / "run_results.json").exists()


def test_prune_keeps_only_the_named_run(tmp_path):
    state = DbtState(tmp_path)
    for run in ("old-1", "old-2", "now"):
        state.target(run, "build")
    state.prune_runs(keep="now")
    assert sorted(p.name for p in (tmp_path / "dbt" / "runs").iterdir()) == ["now"]
    DbtState(tmp_path / "elsewhere").prune_runs(keep="now")  # no folder yet: nothing to do
