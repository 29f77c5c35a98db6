"""The same dbt project on local Spark gives the same tables as on DuckDB (docs/scale.md).

The DuckDB pipeline runs on the test fixtures (the real shapes, the statutory returns and the KPI
edge cases: 12 authorities); its raw layer is exported to Parquet, the whole project is built on a
local Spark session from it, and every model and seed Spark built is compared with the DuckDB
table of the same name: the same columns, and the same rows as multisets, doubles to 9 decimal
places (orchestration/lib/engines/spark.py). The models' data tests are not run on Spark here:
they take minutes on Spark and decide nothing about the numbers; the gate reads DuckDB's.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

# The Spark build runs in its own environment (`make env-spark`, which `make test` makes).
SPARK_PYTHON = Path(__file__).resolve().parents[2] / ".venv-spark" / "bin" / "python"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no JVM for local Spark: install a JDK (.ci/run installs openjdk-17-jre-headless"
        " where it can act as root)",
    ),
    pytest.mark.skipif(
        not SPARK_PYTHON.exists(),
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


def test_every_model_built_on_spark_equals_the_duckdb_build(tmp_path):
    from orchestration.cli import main

    landing = tmp_path / "landing"
    for name in FIXTURE_LANDINGS:
        shutil.copytree(FIXTURES / name, landing, dirs_exist_ok=True)
    warehouse = tmp_path / "warehouse.duckdb"
    assert (
        main(
            [
                "run",
                "--landing",
                str(landing),
                "--warehouse",
                str(warehouse),
                "--publish",
                str(tmp_path / "publish"),
            ]
        )
        == 0
    )

    workdir = tmp_path / "spark"
    done = subprocess.run(
        [
            str(SPARK_PYTHON),
            "-m",
            "orchestration.lib.engines.spark",
            "--warehouse",
            str(warehouse),
            "--no-tests",
            "--workdir",
            str(workdir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    parity = workdir / "parity.json"
    assert parity.exists(), (done.stdout + done.stderr)[-3000:]
    report = json.loads(parity.read_text())
    assert report["failed"] == [], report["failed"]
    assert report["differences"] == [], report["differences"]
    assert done.returncode == 0, done.stdout[-3000:]

    # Every published table was built and compared: the KPI layer and the published seeds.
    from orchestration.defs.publish.assets import REFERENCE_TABLES

    published_kpi = json.loads((workdir / "target" / "manifest.json").read_text())["nodes"]
    kpi_models = {
        f"kpi.{n['alias']}"
        for n in published_kpi.values()
        if n["resource_type"] == "model" and n["schema"] == "kpi"
    }
    assert len(kpi_models) >= 70
    assert kpi_models <= set(report["compared"])
    assert {t.relation for t in REFERENCE_TABLES} <= set(report["compared"])
