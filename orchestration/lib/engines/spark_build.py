"""`cscw run --engine spark`: the dbt step on a Spark session; everything around it unchanged.

Ingestion loads the DuckDB warehouse as always; its raw layer is then written as Parquet
(lib/engines/raw_parquet.py) and dbt builds the whole project, models, seeds and data tests, on
Spark (profile target `spark`) from those files, in the Spark environment `.venv-spark` (`make
env-spark`; a Java runtime is needed). dbt's own `on-run-end` hook has Spark write what it built
as Parquet (macros/engines/export_results.sql), and `load_results` puts those tables into the
DuckDB warehouse under their own names, in place of DuckDB's. The quality gate, the reports and
publication then read them as they read a DuckDB build: the published output is the same.

Only a local session is driven this way: its results folder is in the working folder, emptied
each run. A cluster would need one that it and this machine both reach (docs/scale.md, not
built).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.settings import REPO_ROOT, Settings
from orchestration.lib.sqltext import lit, q

SPARK_VENV = REPO_ROOT / ".venv-spark"


@dataclass(frozen=True)
class SparkFolders:
    work: Path  # Spark's managed tables (spark.sql.warehouse.dir): emptied before each build
    results: Path  # what the build exports: <schema>/<name>/*.parquet

    def environ(self) -> dict[str, str]:
        """What dbt's profile and export hook read (profiles.yml, macros/engines); the sources'
        CSCW_RAW_PARQUET is a setting, exported with the others (lib/settings.py)."""
        return {"CSCW_SPARK_WORKDIR": str(self.work), "CSCW_SPARK_RESULTS": str(self.results)}


def spark_dbt_executable() -> Path:
    """The Spark environment's `cscw-dbt` (it dies with the run, as the pipeline's own does)."""
    return SPARK_VENV / "bin" / "cscw-dbt"


def missing_for_spark() -> str | None:
    """Why a Spark build cannot start here, or None."""
    if not spark_dbt_executable().exists():
        return f"no Spark environment at {SPARK_VENV}: run `make env-spark` (pyspark, dbt-spark)"
    if shutil.which("java") is None:
        return (
            "no Java runtime on PATH for local Spark: install a JDK (e.g. openjdk-17-jre-headless)"
        )
    return None


def prepare_folders(settings: Settings) -> SparkFolders:
    """Empty folders for this build: a table Spark finds at its location from an earlier build
    would refuse the new one."""
    base = settings.home / "spark"
    folders = SparkFolders(work=base / "warehouse", results=base / "results")
    for folder in (folders.work, folders.results):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    return folders


def exported_relations(run_results: dict, manifest: dict) -> list[tuple[str, str, dict]]:
    """(schema, name, node) of what the export hook wrote, by the same rule: models and seeds
    built, and the tests that did not pass and store their failing rows."""
    out = []
    for result in run_results["results"]:
        node = manifest["nodes"].get(result["unique_id"])
        if node is None:
            continue
        built = node["resource_type"] in ("model", "seed") and result["status"] == "success"
        failed_rows = (
            node["resource_type"] == "test"
            and result["status"] in ("fail", "warn")
            and node["config"].get("store_failures")
        )
        if built or failed_rows:
            out.append((node["schema"], node["alias"], node))
    return out


def _declared_types(node: dict) -> dict[str, str]:
    """The column types a model's YAML declares (the published contracts are in DuckDB's names)."""
    return {
        name: column["data_type"]
        for name, column in (node.get("columns") or {}).items()
        if column.get("data_type")
    }


def load_results(con, results: Path, relations: list[tuple[str, str, dict]]) -> int:
    """Each exported relation as the DuckDB table <schema>.<name>, replacing the table or view of
    that name, with the columns a contract declares cast to its types and, when the YAML declares
    every column, in its order; in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for schema, name, node in relations:
            folder = results / schema / name
            files = sorted(folder.glob("*.parquet"))
            if not files:
                raise RuntimeError(f"Spark built {schema}.{name} but wrote no Parquet in {folder}")
            source = f"read_parquet({lit(str(folder / '*.parquet'))})"
            columns = [r[0] for r in con.execute(f"describe select * from {source}").fetchall()]
            if set(node.get("columns") or {}) == set(columns):
                # DuckDB's contracts build a table in the order its columns are declared
                columns = list(node["columns"])
            declared = _declared_types(node)
            select = ", ".join(
                f"cast({q(c)} as {declared[c]}) as {q(c)}" if c in declared else q(c)
                for c in columns
            )
            con.execute(f"create schema if not exists {q(schema)}")
            kind = con.execute(
                "select table_type from information_schema.tables"
                " where table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchone()
            if kind and kind[0] == "VIEW":
                con.execute(f"drop view {q(schema)}.{q(name)}")
            con.execute(
                f"create or replace table {q(schema)}.{q(name)} as select {select} from {source}"
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(relations)
