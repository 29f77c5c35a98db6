"""The dbt resource answers dbt's version without running `dbt --version` (about 1.8 s a run);
its answer must be what that command prints for the executable the pipeline runs."""

import re
import subprocess

from orchestration.defs.resources import WarehouseDbtCli, _dbt_executable, dbt_project


def test_the_version_is_the_one_the_pipelines_dbt_prints():
    printed = subprocess.run(
        [str(_dbt_executable()), "--version"], capture_output=True, text=True, check=True
    ).stdout
    expected = re.search(r"(\d+\.\d+\.\d+)", printed).group(1)
    resource = WarehouseDbtCli(project_dir=dbt_project, dbt_executable=str(_dbt_executable()))
    assert str(resource._cli_version) == expected
