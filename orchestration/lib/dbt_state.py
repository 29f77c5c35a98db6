"""dbt's working folders for one warehouse: each invocation's target folder, and the parse state
that lets the next invocation skip parsing.

dbt re-parses the whole project (about 7 s here, in each of a run's two dbt processes) unless
its `partial_parse.msgpack` was written under the same profile, and the profile includes the
warehouse path and the DuckDB settings. dagster-dbt seeds every invocation from the project's
own target folder, which `dbt parse` (lib/dbt_manifest.py) writes under other settings and every
warehouse on the machine shares: so every invocation parsed in full, and each left a folder of
about 10 MB (manifest, compiled SQL, dbt.log) in dbt_project/target, never removed.

Here each warehouse keeps its own parse state beside its logs (`<home>/dbt/partial_parse.msgpack`,
dbt checks itself whether files changed since), and the invocations of a run write under
`<home>/dbt/runs/<run id>/<name>`; only the latest run's folders are kept (its compiled SQL is
what an auditor may want to read; the run's log file has dbt's output).
"""

import os
import shutil
from pathlib import Path

PARSE_STATE = "partial_parse.msgpack"


class DbtState:
    def __init__(self, home: Path):
        self.root = home / "dbt"

    def target(self, run_id: str, name: str) -> Path:
        """An empty target folder for one invocation, seeded with the warehouse's parse state."""
        path = self.root / "runs" / run_id / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        state = self.root / PARSE_STATE
        if state.is_file():
            shutil.copyfile(state, path / PARSE_STATE)
        return path

    def is_current(self, sources_changed_at: float) -> bool:
        """Whether the warehouse has a parse state written after the project's files last changed
        (dbt still checks it in detail; this only says whether parsing ahead is worth it)."""
        state = self.root / PARSE_STATE
        return state.is_file() and state.stat().st_mtime >= sources_changed_at

    def keep_parse_state(self, target: Path) -> None:
        """The invocation's parse state becomes the warehouse's (replaced whole, never torn)."""
        written = target / PARSE_STATE
        if not written.is_file():  # dbt stopped before parsing: keep the one we have
            return
        partial = self.root / f".{PARSE_STATE}.{os.getpid()}"
        shutil.copyfile(written, partial)
        os.replace(partial, self.root / PARSE_STATE)

    def prune_runs(self, keep: str) -> None:
        """Remove the target folders of every run but `keep`."""
        runs = self.root / "runs"
        if not runs.is_dir():
            return
        for folder in runs.iterdir():
            if folder.name != keep:
                shutil.rmtree(folder, ignore_errors=True)
