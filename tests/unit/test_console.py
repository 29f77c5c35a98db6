"""The progress display's bookkeeping (orchestration/lib/console.py) on a hand-made run: stages,
counts, the lines a non-terminal gets, and the estimate worked out by hand."""

import io

from orchestration.lib.console import DBT_STEP, Event, ProgressView, RunTracker, format_seconds

PREVIOUS = {"raw_tables": 10.0, DBT_STEP: 60.0, "quality__verdicts": 5.0, "publish__snapshot": 5.0}


def feed_all(tracker, events):
    lines = []
    for event in events:
        lines += tracker.feed(event)
    return lines


def test_stages_counts_and_estimate_from_the_previous_run():
    t = RunTracker(models=3, tests=4, previous=PREVIOUS)
    assert t.remaining(0.0) == (80.0, "previous run")  # nothing started: 10 + 60 + 5 + 5
    assert t.feed(Event("STEP_START", "raw_tables", 100.0)) == [("stage", "ingest started")]
    # raw_tables has run 5 of its 10 s: 5 + 60 + 5 + 5
    assert t.remaining(105.0) == (75.0, "previous run")
    lines = feed_all(
        t,
        [
            Event("ASSET_MATERIALIZATION", "raw_tables", 101.0, "raw/a"),  # not a dbt model
            Event("STEP_SUCCESS", "raw_tables", 110.0),
            Event("STEP_START", DBT_STEP, 110.0),
            *[Event("ASSET_MATERIALIZATION", DBT_STEP, 111.0 + i, f"kpi/m{i}") for i in range(3)],
        ],
    )
    assert lines == [("stage", "ingest done in 10 s"), ("stage", "dbt build started")]
    assert (t.built, t.counts(), t.now_building) == (3, "models 3/3, tests 0/4", "kpi/m2")
    lines = feed_all(
        t,
        [
            Event("ASSET_CHECK_EVALUATION", DBT_STEP, 130.0, "kpi/m0:not_null", passed=False),
            Event("ASSET_CHECK_EVALUATION", DBT_STEP, 131.0, "kpi/m1:unique"),
        ],
    )
    assert lines == []  # tests run inside the one dbt build: no stage of their own
    assert (t.tested, t.failed_checks, t.counts()) == (2, 1, "models 3/3, tests 2/4")
    # dbt has run 30 of its 60 s; the gate and publish steps are still to come: 30 + 5 + 5
    assert t.remaining(140.0) == (40.0, "previous run")
    # a dbt step running longer than last time counts for nothing more, not for less than nothing
    assert t.remaining(200.0) == (10.0, "previous run")


def test_stages_only_move_forward_and_failures_are_said():
    t = RunTracker(models=1, tests=1)
    feed_all(t, [Event("STEP_START", DBT_STEP, 0.0), Event("STEP_START", "quality__verdicts", 9)])
    assert t.feed(Event("STEP_START", "raw_meta__load_log_gx_raw_load", 10.0)) == []
    assert t.feed(Event("STEP_START", "publish__snapshot", 12.0)) == [
        ("stage", "quality gate done in 3 s"),
        ("stage", "publish started"),
    ]
    assert t.feed(Event("STEP_FAILURE", "publish__snapshot", 13.0)) == [
        ("failure", "step publish__snapshot FAILED")
    ]
    assert t.finish_stage(15.0) == ("stage", "publish done in 3 s")


def test_without_a_previous_run_the_estimate_is_the_rate_so_far_inside_dbt():
    t = RunTracker(models=4, tests=10)
    t.feed(Event("STEP_START", "raw_tables", 0.0))
    assert t.remaining(5.0) is None  # nothing to go by
    feed_all(
        t,
        [
            Event("STEP_START", DBT_STEP, 10.0),
            Event("ASSET_MATERIALIZATION", DBT_STEP, 12.0, "staging/a"),
            Event("ASSET_MATERIALIZATION", DBT_STEP, 14.0, "staging/b"),
        ],
    )
    # 2 of 14 nodes (4 models, 10 tests) in 10 s: 5 s each, 12 to go
    assert t.remaining(20.0) == (60.0, "rate so far")
    t.feed(Event("ASSET_CHECK_EVALUATION", DBT_STEP, 20.0, "staging/a:unique"))
    # 3 of 14 in the 15 s since dbt started at 10 s: 5 s each, 11 to go
    assert t.remaining(25.0) == (55.0, "rate so far")
    assert format_seconds(36.0) == "0:36" and format_seconds(125.4) == "2:05"


def test_a_large_run_makes_a_few_plain_lines():
    """Off a terminal: one line per stage start and finish, whatever the number of models and checks."""
    t = RunTracker(models=1000, tests=5000)
    out = io.StringIO()
    view = ProgressView(t, out, started=0.0)
    assert view.live is None  # not a terminal
    events = [Event("STEP_START", "raw_tables", 0.0), Event("STEP_START", DBT_STEP, 1.0)]
    events += [Event("ASSET_MATERIALIZATION", DBT_STEP, 2.0, f"kpi/m{i}") for i in range(1000)]
    events += [Event("ASSET_CHECK_EVALUATION", DBT_STEP, 3.0, f"kpi/m:c{i}") for i in range(5000)]
    events += [Event("STEP_START", "quality__verdicts", 4.0), Event("STEP_START", "publish__x", 5)]
    with view:
        for event in events:
            for kind, text in t.feed(event):
                view.say(kind, text)
            view.refresh()
        view.say(*t.finish_stage(6.0))
    printed = out.getvalue().splitlines()
    assert len(printed) == 8  # four stages, each started and done
    assert [line.split("] ", 1)[1] for line in printed[:3]] == [
        "ingest started",
        "ingest done in 1 s",
        "dbt build started",  # no estimate yet: no previous run, no model built
    ]
