"""The raw layer as Parquet files, one per authority and source table, for engines that read files
(Spark: docs/scale.md).

    <root>/<schema>/<table>/<la_code>.parquet

for every table the dbt project declares as a source (models/staging/_sources.yml: `raw`,
`raw_meta`, `reference`), so the sources are defined once, in dbt. Each file holds one
authority's rows with every column, `la_code` among them: a folder is one table to Spark
(`create table ... using parquet location '<root>/<schema>/<table>'`) and to DuckDB
(`read_parquet('<root>/<schema>/<table>/*.parquet')`), with no partition discovery to infer
column types from folder names. An authority with no rows in a table still gets its file (no
rows, the columns), so every table's folder exists and carries its schema. Tables without
`la_code` (the bank holidays) are one file, `all.parquet`.

Only authorities whose load changed since the files were written are rewritten: the fingerprint
and load time ingestion keeps per authority (`raw_meta.authority_state`, replaced in the same
transaction as the authority's rows) are recorded beside the files (`authorities.json`) and
compared. An authority gone from the warehouse loses its files. Each file is written under a
hidden name and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from orchestration.lib.settings import DBT_PROJECT_DIR
from orchestration.lib.sqltext import lit, q

SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
STATE_FILE = "authorities.json"
WHOLE_TABLE = "all"  # the file of a table that has no la_code column
NO_AUTHORITY = "no-authority"  # rows whose la_code is NULL (none expected; never dropped)


def source_tables(sources_yml: Path = SOURCES_YML) -> list[tuple[str, str]]:
    """(schema, table) of every dbt source, as the project declares them."""
    declared = yaml.safe_load(sources_yml.read_text())["sources"]
    return [
        (source.get("schema", source["name"]), table.get("identifier", table["name"]))
        for source in declared
        for table in source["tables"]
    ]


@dataclass
class MirrorReport:
    authorities_written: list[str]
    authorities_removed: list[str]
    files: int

    def summary(self) -> str:
        return (
            f"raw Parquet: {len(self.authorities_written)} authorities written"
            f" ({', '.join(self.authorities_written) or 'none'}),"
            f" {len(self.authorities_removed)} removed, {self.files} files"
        )


def _columns(con, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _write(con, select: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    con.execute(f"copy ({select}) to {lit(str(partial))} (format parquet)")
    os.replace(partial, path)


def sync_raw_parquet(con, root: Path, tables: list[tuple[str, str]] | None = None) -> MirrorReport:
    """Bring <root> up to date with the DuckDB warehouse `con`: the files of every authority whose
    load changed since they were written, of tables without authorities every time (small)."""
    tables = source_tables() if tables is None else tables
    state_path = root / STATE_FILE
    written_state: dict[str, str] = (
        json.loads(state_path.read_text()) if state_path.exists() else {}
    )
    # an authority's rows change only when ingestion replaces its state row, fingerprint and time
    current = dict(
        con.execute(
            "select la_code, fingerprint || ' ' || cast(loaded_at as varchar)"
            " from raw_meta.authority_state"
        ).fetchall()
    )
    todo = sorted(la for la, fp in current.items() if written_state.get(la) != fp)
    gone = sorted(set(written_state) - set(current))
    # Recorded as unwritten before any file changes: a sync cut short is redone next time.
    root.mkdir(parents=True, exist_ok=True)
    state_path.write_text(
        json.dumps({la: fp for la, fp in written_state.items() if la in current and la not in todo})
    )
    files = 0
    for schema, table in tables:
        columns = _columns(con, schema, table)
        if not columns:
            raise RuntimeError(
                f"dbt source {schema}.{table} (models/staging/_sources.yml) is not in the warehouse"
            )
        folder = root / schema / table
        relation = f"{q(schema)}.{q(table)}"
        if "la_code" not in columns:
            _write(con, f"select * from {relation}", folder / f"{WHOLE_TABLE}.parquet")
            files += 1
            continue
        for la_code in todo:
            _write(
                con,
                f"select * from {relation} where la_code = {lit(la_code)}",
                folder / f"{la_code}.parquet",
            )
            files += 1
        for la_code in gone:
            (folder / f"{la_code}.parquet").unlink(missing_ok=True)
        no_authority = folder / f"{NO_AUTHORITY}.parquet"
        if con.execute(f"select count(*) from {relation} where la_code is null").fetchone()[0]:
            _write(con, f"select * from {relation} where la_code is null", no_authority)
            files += 1
        else:
            no_authority.unlink(missing_ok=True)
    state_path.write_text(json.dumps({la: current[la] for la in sorted(current)}, indent=1))
    return MirrorReport(todo, gone, files)
