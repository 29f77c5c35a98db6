"""`cscw run` exits 2 on a usage or configuration error, before any run starts (README, exit
codes). The other codes (0, 3, 1) come from tests/integration/test_verdicts.py and
tests/unit/quality/test_verdicts.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CSCW = Path(sys.executable).parent / "cscw"


def run(args, tmp_path, **env):
    environ = {**os.environ, "CSCW_HOME": str(tmp_path / "home"), **env}
    return subprocess.run(
        [str(CSCW), *args], capture_output=True, text=True, env=environ, timeout=300, check=False
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"CSCW_SUPPRESS_BELOW": "-1"}, "CSCW_SUPPRESS_BELOW"),
        ({"CSCW_PUBLISH_DETAIL": "perhaps"}, "CSCW_PUBLISH_DETAIL"),
        ({"CSCW_PUBLISH_KEEP": "many"}, "many"),
        ({"CSCW_ENGINE": "sprak"}, "CSCW_ENGINE"),
    ],
)
def test_invalid_setting_exits_2(tmp_path, env, message):
    (tmp_path / "landing").mkdir()
    proc = run(["run", "--landing", str(tmp_path / "landing")], tmp_path, **env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "configuration error" in proc.stderr and message in proc.stderr
    assert not (tmp_path / "home" / "publish").exists()


@pytest.mark.parametrize("value", ["884:", ":assessments_45wd"])
def test_malformed_accept_change_exits_2(tmp_path, value):
    (tmp_path / "landing").mkdir()
    proc = run(["run", "--landing", str(tmp_path / "landing"), "--accept-change", value], tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "configuration error" in proc.stderr and "--accept-change" in proc.stderr


def test_missing_landing_and_bad_arguments_exit_2(tmp_path):
    assert run(["run", "--landing", str(tmp_path / "nowhere")], tmp_path).returncode == 2
    assert run(["run"], tmp_path).returncode == 2  # --landing is required


def test_engine_spark_without_java_exits_2_saying_what_is_missing(tmp_path):
    (tmp_path / "landing").mkdir()
    # no java on this PATH (nor, on a machine without `make env-spark`, a Spark environment)
    proc = run(
        ["run", "--landing", str(tmp_path / "landing"), "--engine", "spark"],
        tmp_path,
        PATH=str(tmp_path),
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "configuration error: engine spark:" in proc.stderr
    assert "no Java runtime" in proc.stderr or "make env-spark" in proc.stderr
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()
