"""Keep dbt's manifest.json current: Dagster builds the dbt assets from it.

`dagster dev` would parse only through dagster-dbt's dev preparer; the CLI, tests and the UI
all come through here instead, so the manifest is never stale whoever loads the definitions.
"""

import os
import subprocess
import sys
from pathlib import Path

from orchestration.lib.measures import dbt_environ
from orchestration.lib.settings import DBT_PROJECT_DIR, REPO_ROOT, dbt_target_dir

SOURCES = (
    DBT_PROJECT_DIR / "models",
    DBT_PROJECT_DIR / "macros",
    DBT_PROJECT_DIR / "tests",
    REPO_ROOT / "seeds",
)


def newest_source_mtime() -> float:
    newest = (DBT_PROJECT_DIR / "dbt_project.yml").stat().st_mtime
    for folder in SOURCES:
        for path in folder.rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def ensure_manifest() -> Path:
    manifest = dbt_target_dir() / "manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= newest_source_mtime():
        return manifest
    dbt = Path(sys.executable).parent / "dbt"
    env = {
        **os.environ,
        "CSCW_WAREHOUSE": os.environ.get("CSCW_WAREHOUSE", ":memory:"),
        **dbt_environ(),
    }
    proc = subprocess.run(
        [
            str(dbt),
            "parse",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{proc.stdout}\n{proc.stderr}")
    return manifest
