"""`cscw bench` works (issue 15): at a tiny size (1 authority, 1 year, a few hundred children),
every scenario is measured, every real run has a positive time for every stage, "nothing new" is
answered "up to date", and the table is printed without touching docs/performance.md.

A benchmark, not a timed test: nothing here asserts how fast anything is."""

import json

import pytest

from orchestration.lib.bench import DOCS, SCENARIOS, STAGES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    from orchestration.cli import main

    out = tmp_path_factory.mktemp("bench")
    docs_before = DOCS.read_bytes() if DOCS.exists() else None
    code = main(
        [
            "bench",
            "--authorities",
            "1",
            "--years",
            "1",
            "--children",
            "300",
            "--repeat",
            "1",
            "--out",
            str(out / "scratch"),
            "--no-write-docs",
        ]
    )
    summary = json.loads((out / "scratch" / "bench.json").read_text())
    return {"code": code, "summary": summary, "docs_before": docs_before}


def test_bench_ends_well_and_leaves_the_docs_alone(bench):
    assert bench["code"] == 0
    assert (DOCS.read_bytes() if DOCS.exists() else None) == bench["docs_before"]


def test_every_scenario_and_stage_is_measured(bench):
    by = {s["scenario"]: s for s in bench["summary"]["scenarios"]}
    assert list(by) == list(SCENARIOS)
    for name in ("first run", "one table changed", "one authority added"):
        s = by[name]
        assert not s["up_to_date"] and set(s["exit_codes"]) <= {0, 3}, s
        assert all(s["stages"][stage] > 0 for stage in STAGES), s
        assert s["wall"] > sum(s["stages"].values()) > 0
        assert s["rows_per_s"] > 0 and s["ratio"] > 0 and s["scan"] > 0
        assert s["peak_pipeline_mb"] > 0 and s["peak_children_mb"] > 0
    nothing = by["nothing new"]
    assert nothing["up_to_date"] and nothing["exit_codes"] == [0] and nothing["run_ids"] == [None]
    assert nothing["wall"] > 0 and nothing["stages"] == {}


def test_rows_grow_with_the_added_authority(bench):
    by = {s["scenario"]: s for s in bench["summary"]["scenarios"]}
    assert by["one authority added"]["rows"] > by["one table changed"]["rows"] > 0


def test_the_table_names_every_scenario(bench):
    from orchestration.lib.bench import render

    table = render(bench["summary"])
    for name in SCENARIOS:
        assert f"| {name} |" in table
    assert "1 authorities x 1 years (300 children each)" in table
