"""The resources every asset shares: one DuckDB warehouse (one writer) and the dbt CLI."""

import sys
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from orchestration.lib.dbt_manifest import ensure_manifest
from orchestration.lib.settings import (
    DBT_PROJECT_DIR,
    Settings,
    apply_settings,
    dbt_target_dir,
    load_settings,
)

# dbt (a subprocess) reads the warehouse path and key from the environment.
apply_settings(load_settings())
ensure_manifest()
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=dbt_target_dir()
)


class WarehouseDbtCli(DbtCliResource):
    """The dbt CLI resource, without the dbt adapter dagster-dbt builds in this process for
    every `dbt.cli(...)` call (it loads dbt's profile and project and imports the adapter: about
    2 s a run, 1.6 s the first call, 0.7 s the next). dagster-dbt uses it only to fetch row
    counts and column metadata (`fetch_row_counts()`, `fetch_column_metadata()`), which the
    pipeline does not ask for; dbt itself runs as a subprocess either way."""

    def _initialize_dbt_core_adapter(self, args):  # dagster-dbt 0.29: None = no adapter
        return None

    @cached_property
    def _cli_version(self):
        """dbt's version, which dagster-dbt reads by running `dbt --version` (about 1.8 s) once
        per run. The executable is this environment's own dbt (`cscw-dbt` runs it), so the
        installed dbt-core package says the same."""
        from packaging import version

        return version.parse(installed_version("dbt-core"))


def _dbt_executable() -> Path:
    bin_dir = Path(sys.executable).parent
    launcher = bin_dir / "cscw-dbt"
    return launcher if launcher.exists() else bin_dir / "dbt"  # an environment not reinstalled yet


def build_resources(settings: Settings) -> dict:
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        # Resolved when each run starts, so `cscw run --warehouse` reaches every asset.
        "duckdb": DuckDBResource(
            database=dg.EnvVar("CSCW_WAREHOUSE"),
            connection_config={
                "memory_limit": settings.duckdb_memory,
                "threads": settings.duckdb_threads,
            },
        ),
        # The venv's own dbt, whatever PATH says, through `cscw-dbt`, which the kernel kills when
        # the run's process dies (orchestration/lib/dbt_child.py): no dbt outlives a killed run.
        "dbt": WarehouseDbtCli(project_dir=dbt_project, dbt_executable=str(_dbt_executable())),
    }
