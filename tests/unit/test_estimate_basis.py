"""`cscw run`'s estimate rests on the last successful run built the same way (orchestration/cli.py,
`like_this_run`): a per-authority run on the last per-authority run, a full run on the last full
one, on the same engine, else on the newest run of any kind."""

from dataclasses import dataclass, field

from orchestration.cli import like_this_run


@dataclass
class Run:
    run_id: str
    tags: dict = field(default_factory=dict)


PER = {"cscw/per_authority": "true"}
# newest first, as Dagster returns them
RUNS = [Run("r4-per", PER), Run("r3-full"), Run("r2-per", PER), Run("r1-full")]


def test_each_kind_of_run_is_estimated_from_the_newest_of_its_kind():
    assert like_this_run(RUNS, per_authority=True).run_id == "r4-per"
    assert like_this_run(RUNS, per_authority=False).run_id == "r3-full"


def test_without_a_run_of_its_kind_the_newest_run_is_the_basis():
    assert like_this_run([Run("r1-full")], per_authority=True).run_id == "r1-full"
    assert like_this_run([], per_authority=True) is None


def test_a_run_on_spark_is_estimated_from_the_last_run_on_spark():
    spark = {"cscw/engine": "spark"}
    runs = [Run("r3-duckdb", {"cscw/engine": "duckdb"}), Run("r2-spark", spark), Run("r1-untagged")]
    assert like_this_run(runs, per_authority=False, engine="spark").run_id == "r2-spark"
    # runs from before the engine was tagged were all on DuckDB
    assert like_this_run(runs[1:], per_authority=False).run_id == "r1-untagged"
