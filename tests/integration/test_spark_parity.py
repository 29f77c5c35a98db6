"""`cscw run --engine spark` publishes what `cscw run` on DuckDB publishes (docs/scale.md).

Both runs read the same landing area: the test fixtures (the real shapes, the statutory returns
and the KPI edge cases: 12 authorities, some failing data tests on purpose). The Spark run's dbt
step builds the whole project, models, seeds and data tests, on a local Spark session from the
raw layer written as Parquet (lib/engines/raw_parquet.py), and loads what Spark built into its
warehouse (lib/engines/spark_build.py). Then, against the DuckDB run:

- every model and seed: the same columns, the same rows as multisets, doubles to 9 decimal
  places (orchestration/lib/engines/spark.py, compare_warehouses);
- every data test's outcome per authority, as the quality gate reads it;
- every table of the published snapshot, but for the columns naming the run.
"""

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES

# dbt runs on Spark in its own environment (`make env-spark`, which `make test` makes).
SPARK_DBT = Path(__file__).resolve().parents[2] / ".venv-spark" / "bin" / "cscw-dbt"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no JVM for local Spark: install a JDK (.ci/run installs openjdk-17-jre-headless"
        " where it can act as root)",
    ),
    pytest.mark.skipif(
        not SPARK_DBT.exists(),
        reason="no .venv-spark: `make env-spark` installs pyspark and dbt-spark",
    ),
]

FIXTURE_LANDINGS = [
    "real_shapes",
    "returns",
    *(
        f"kpi/{family}"
        for family in (
            "availability",
            "child_protection",
            "front_door",
            "looked_after",
            "workforce",
        )
    ),
]


def _run(landing: Path, folder: Path, *engine: str) -> int:
    from orchestration.cli import main

    return main(
        [
            "run",
            "--landing",
            str(landing),
            "--warehouse",
            str(folder / "warehouse.duckdb"),
            "--publish",
            str(folder / "publish"),
            *engine,
        ]
    )


# Columns that name the run or its time: different in any two runs, whatever the engine.
PER_RUN = ("run_id", "reported_at", "judged_at")


def test_cscw_run_on_spark_publishes_what_the_duckdb_run_publishes(tmp_path, monkeypatch):
    # `--engine spark` sets CSCW_ENGINE in this process: restored for the tests after this one
    monkeypatch.setenv("CSCW_ENGINE", "duckdb")
    landing = tmp_path / "landing"
    for name in FIXTURE_LANDINGS:
        shutil.copytree(FIXTURES / name, landing, dirs_exist_ok=True)
    duck, spark = tmp_path / "duckdb", tmp_path / "spark"
    assert _run(landing, duck) == 0
    assert _run(landing, spark, "--engine", "spark") == 0

    from orchestration.lib.engines.spark import compare_warehouses
    from orchestration.lib.settings import dbt_target_dir, load_settings

    # Spark built them: what its on-run-end hook wrote is what the warehouse now holds.
    results = load_settings().home / "spark" / "results"
    assert list((results / "kpi" / "kpi_scorecard").glob("*.parquet"))
    assert list((results / "audit").iterdir()), "the stored rows of the tests that failed"

    # The raw layer Spark read: every authority's rows of every source, as Parquet files.
    with duckdb.connect(str(spark / "warehouse.duckdb"), read_only=True) as con:
        raw = load_settings().raw_parquet
        for table in ("raw.ssd_person", "raw.ssda903_episodes", "raw_meta.quarantine"):
            folder = raw / table.replace(".", "/")
            assert len(list(folder.glob("*.parquet"))) == 12, folder  # one file per authority
            in_files = con.execute(f"select count(*) from '{folder}/*.parquet'").fetchone()
            assert in_files == con.execute(f"select count(*) from {table}").fetchone()

    # `cscw raw-parquet` writes the same files from the DuckDB run's warehouse (for a cluster).
    from orchestration.cli import main

    exported = tmp_path / "raw-from-duckdb"
    assert (
        main(["raw-parquet", "--warehouse", str(duck / "warehouse.duckdb"), "--out", str(exported)])
        == 0
    )

    def files(root: Path) -> list[str]:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))

    assert files(exported) == files(raw)
    assert len(files(exported)) > 12 * 60  # every source table, one file per authority

    # Every model and seed Spark built equals the DuckDB build's table of the same name.
    nodes = json.loads((dbt_target_dir() / "manifest.json").read_text())["nodes"].values()
    built = sorted(
        f"{n['schema']}.{n['alias']}" for n in nodes if n["resource_type"] in ("model", "seed")
    )
    assert sum(r.startswith("kpi.") for r in built) >= 70
    differences = compare_warehouses(
        duck / "warehouse.duckdb", spark / "warehouse.duckdb", built, theirs="Spark"
    )
    assert differences == [], differences

    # The data tests ran on Spark and judged every authority as DuckDB's did.
    def dbt_tests(folder: Path) -> list:
        with duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True) as con:
            return con.execute(
                "select la_code, table_name, expectation, column_name, severity, success,"
                " unexpected_count from quality.check_results where check_name = 'dbt_tests'"
                " and run_id = (select max_by(run_id, checked_at) from quality.check_results)"
                " order by all"
            ).fetchall()

    duck_tests = dbt_tests(duck)
    assert len(duck_tests) >= 490
    assert [t for t in duck_tests if not t[5]], "the fixtures fail some tests on purpose"
    assert dbt_tests(spark) == duck_tests

    # What BI reads: the published snapshot, table by table.
    published = [duck / "publish/current/cscw.duckdb", spark / "publish/current/cscw.duckdb"]
    with duckdb.connect(str(published[0]), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
    assert len(tables) >= 80
    assert compare_warehouses(*published, tables, "Spark", PER_RUN) == []
