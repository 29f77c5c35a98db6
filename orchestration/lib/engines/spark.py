"""The dbt project on Spark: a local session, the raw layer as Parquet, and a comparison with the
DuckDB build (docs/scale.md).

Everything happens in one Python process: the Spark session is made first (an in-memory catalog,
so nothing outlives the process and no Derby metastore is shared), the Parquet tables are
registered in it, dbt runs in the same process through dbtRunner (dbt-spark's `session` method
takes the session already there), and the tables it built are read back through the same session.

    python -m orchestration.lib.engines.spark --warehouse W [--select SELECTOR] [--preload conformed,...]

builds the selected models on local Spark from the DuckDB warehouse W's raw layer (written as
Parquet as `cscw run --engine spark` writes it: lib/engines/raw_parquet.py), or from W's own
tables of the schemas named by --preload for a part of the project, and compares every model
built with W's table of the same name. A development tool: `cscw run --engine spark` is the
pipeline on Spark (lib/engines/spark_build.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.lib.engines.raw_parquet import sync_raw_parquet
from orchestration.lib.measures import export_to_dbt
from orchestration.lib.settings import DBT_PROJECT_DIR

# Floating-point results are equal when they agree to this many decimal places.
DECIMALS = 9


def export_parquet(warehouse: Path, root: Path, schemas: list[str]) -> int:
    """Every table of `schemas` whole, as <root>/<schema>/<table>/data.parquet (a partial build's
    inputs: the dbt sources are written by sync_raw_parquet instead)."""
    count = 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for schema in schemas:
            tables = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = ?"
                    " order by table_name",
                    [schema],
                ).fetchall()
            ]
            for table in tables:
                folder = root / schema / table
                folder.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"copy {schema}.{table} to '{folder / 'data.parquet'}' (format parquet)"
                )
                count += 1
    return count


def spark_session(workdir: Path):
    """A local Spark session: two cores, an in-memory catalog, managed tables under workdir."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(os.environ.get("CSCW_SPARK_MASTER", "local[2]"))
        .appName("cscw")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", str(workdir / "spark-warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", os.environ.get("CSCW_SPARK_DRIVER_MEMORY", "4g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")  # Spark's own warnings would drown dbt's output
    return session


def register_parquet(spark, root: Path) -> int:
    """Each <root>/<schema>/<table> folder as the external table <schema>.<table>."""
    count = 0
    for schema_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        spark.sql(f"create database if not exists {schema_dir.name}")
        for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
            spark.sql(
                f"create table if not exists {schema_dir.name}.{table_dir.name}"
                f" using parquet location '{table_dir}'"
            )
            count += 1
    return count


def run_dbt(args: list[str], target_path: Path, target: str = "spark") -> list[dict]:
    """dbt on `target` in this process; the results of run_results.json."""
    from dbt.cli.main import dbtRunner

    export_to_dbt()
    os.environ["DBT_TARGET_PATH"] = str(target_path)
    os.environ.setdefault("DBT_LOG_PATH", str(target_path / "logs"))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target",
            target,
        ]
    )
    results = target_path / "run_results.json"
    return json.loads(results.read_text())["results"] if results.exists() else []


@dataclass
class Difference:
    relation: str
    reason: str


def _comparable(con, relation: str, ignore_columns=()) -> str:
    """A select of `relation` with every column as text, doubles rounded, in name order."""
    columns = con.execute(f"select column_name, column_type from (describe {relation})").fetchall()
    parts = []
    for name, data_type in sorted(c for c in columns if c[0] not in ignore_columns):
        if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
            parts.append(
                f'cast(round(cast("{name}" as double), {DECIMALS}) as varchar) as "{name}"'
            )
        else:
            parts.append(f'cast("{name}" as varchar) as "{name}"')
    return "select " + ", ".join(parts) + f" from {relation}"


def compare(spark, warehouse: Path, relations: list[str], workdir: Path) -> list[Difference]:
    """Each schema.table built on Spark (or, with spark None, in the DuckDB warehouse
    workdir/warehouse.duckdb) against the DuckDB warehouse's: same columns, same rows (as
    multisets, doubles to DECIMALS places)."""
    if spark is None:
        return compare_warehouses(warehouse, workdir / "warehouse.duckdb", relations)
    out = workdir / "spark-results"
    for relation in relations:
        spark.table(relation).write.mode("overwrite").parquet(str(out / relation))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        differences = []
        for relation in relations:
            actual = relation.replace(".", "__")
            con.execute(
                f"create or replace temp view {actual} as"
                f" select * from read_parquet('{out / relation}/*.parquet')"
            )
            # in the order its SQL gives them: DuckDB's contracts reorder (spark_build.load_results)
            differences += _differences(con, relation, actual, relation, "Spark", in_order=False)
        return differences


def compare_warehouses(
    expected: Path,
    actual: Path,
    relations: list[str],
    theirs: str = "the rebuild",
    ignore_columns: tuple[str, ...] = (),
) -> list[Difference]:
    """Each schema.table of the DuckDB warehouse `actual` against `expected`'s, as `compare`, and
    the columns in the same order; `ignore_columns` (a run's id or time) are left out of both."""
    # `actual` is opened itself (its views resolve in it), `expected` attached
    with duckdb.connect(str(actual), read_only=True) as con:
        con.execute(f"attach '{expected}' as expected (read_only)")
        differences = []
        for relation in relations:
            differences += _differences(
                con, f"expected.{relation}", relation, relation, theirs, ignore_columns
            )
        return differences


def _differences(
    con, expected: str, actual: str, relation: str, theirs: str, ignore_columns=(), in_order=True
) -> list[Difference]:
    ordered = [
        [
            r[0]
            for r in con.execute(f"select column_name from (describe {name})").fetchall()
            if r[0] not in ignore_columns
        ]
        for name in (expected, actual)
    ]
    columns = [set(c) for c in ordered]
    if columns[0] != columns[1]:
        return [
            Difference(
                relation,
                f"columns only on DuckDB {sorted(columns[0] - columns[1])},"
                f" only on {theirs} {sorted(columns[1] - columns[0])}",
            )
        ]
    if in_order and ordered[0] != ordered[1]:
        return [Difference(relation, f"column order: DuckDB {ordered[0]}, {theirs} {ordered[1]}")]
    left = _comparable(con, expected, ignore_columns)
    right = _comparable(con, actual, ignore_columns)
    only_left = con.execute(f"select count(*) from ({left} except all {right})").fetchone()[0]
    only_right = con.execute(f"select count(*) from ({right} except all {left})").fetchone()[0]
    if not (only_left or only_right):
        return []
    example = con.execute(f"{left} except all {right} limit 1").fetchall()
    return [
        Difference(
            relation,
            f"{only_left} rows only on DuckDB, {only_right} only on {theirs}; e.g. DuckDB {example}",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.lib.engines.spark")
    parser.add_argument(
        "--warehouse", type=Path, required=True, help="a DuckDB warehouse built by cscw run"
    )
    parser.add_argument("--select", default=None, help="dbt selector (default: the whole project)")
    parser.add_argument(
        "--preload",
        default="",
        help="comma-separated schemas of the DuckDB warehouse registered as they are, for a partial build",
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-tests", action="store_true", help="build models and seeds only")
    parser.add_argument(
        "--engine",
        choices=("spark", "duckdb"),
        default="spark",
        help="duckdb: rebuild the selection in a copy of the warehouse instead (the models as they"
        " are now against the warehouse as it was built)",
    )
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cscw-spark-"))
    workdir.mkdir(parents=True, exist_ok=True)
    dbt_args = ["build", "--full-refresh"]
    if args.select:
        dbt_args += ["--select", args.select]
    if args.no_tests:
        dbt_args += ["--exclude", "resource_type:test resource_type:unit_test"]
    if args.engine == "duckdb":
        import shutil

        shutil.copyfile(args.warehouse, workdir / "warehouse.duckdb")
        os.environ["CSCW_WAREHOUSE"] = str(workdir / "warehouse.duckdb")
        # in a process of its own: dbt-duckdb keeps its connection while this process lives
        import subprocess

        os.environ["DBT_TARGET_PATH"] = str(workdir / "target")
        export_to_dbt()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                *dbt_args,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target",
                "local",
            ],
            check=False,
        )
        results = json.loads((workdir / "target" / "run_results.json").read_text())["results"]
        return _report(None, args.warehouse, results, workdir)
    parquet = workdir / "parquet"
    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        print(
            sync_raw_parquet(con, parquet).summary()
        )  # the dbt sources, as `cscw run` writes them
    preload = [s for s in args.preload.split(",") if s]
    print(f"exported {export_parquet(args.warehouse, parquet, preload)} tables of {preload}")
    os.environ["CSCW_RAW_PARQUET"] = str(parquet)

    spark = spark_session(workdir)
    print(f"registered {register_parquet(spark, parquet)} Parquet tables")
    return _report(spark, args.warehouse, run_dbt(dbt_args, workdir / "target"), workdir)


def _report(spark, warehouse: Path, results: list[dict], workdir: Path) -> int:
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    failed, built = [], []
    for result in results:
        node = manifest["nodes"].get(result["unique_id"], {})
        if result["status"] not in ("success", "pass"):
            message = " ".join((result.get("message") or "").split())[:300]
            failed.append(f"{result['status']}: {result['unique_id']}: {message}")
        elif node.get("resource_type") in ("model", "seed"):
            built.append(f"{node['schema']}.{node['alias']}")
    differences = compare(spark, warehouse, sorted(built), workdir)
    (workdir / "parity.json").write_text(
        json.dumps(
            {
                "nodes": len(results),
                "failed": failed,
                "compared": sorted(built),
                "differences": [f"{d.relation}: {d.reason}" for d in differences],
            },
            indent=1,
        )
    )
    for line in failed:
        print(line)
    for difference in differences:
        print(f"differs: {difference.relation}: {difference.reason}")
    print(
        f"{len(results)} nodes: {len(failed)} failed; {len(built)} models and seeds built and compared,"
        f" {len(differences)} differ (workdir {workdir})"
    )
    return 1 if failed or differences else 0


if __name__ == "__main__":
    sys.exit(main())
