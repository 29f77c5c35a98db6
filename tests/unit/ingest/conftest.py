"""Helpers for the ingest tests: generated landings, independent reading of the files, and
snapshots of the warehouse to compare runs.

Expected values come from the generator's fault manifest and from reading the files with
Python's csv module here, never from the loader.
"""

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cscw_synth import generate
from tests.csv_records import read_text, records  # noqa: F401 - re-exported to the tests

ALL_FAULTS = (
    "duplicate_key=0.01,orphan_fk=0.01,missing_required=0.005,bad_date=0.005,end_before_start=0.01,"
    "unknown_code=0.01,cp1252_file=1,missing_column=1,extra_column=1,empty_file=1,header_only_file=1,"
    "duplicate_drop=1"
)
END = date(2025, 3, 31)
LATER = date(2025, 6, 30)
QUIET = {"log": lambda _msg: None}
# columns that differ between two runs of the same load by design
VOLATILE = {"run_id", "loaded_at", "seconds"}


def connect(path: Path):
    con = duckdb.connect(str(path))
    con.execute("SET memory_limit = '6GB'; SET threads = 2")
    return con


def count_records(path: Path) -> int:
    return len(records(path))


def read_manifest(landing: Path) -> list[dict]:
    with open(landing / "faults_manifest.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def current_files(landing: Path) -> dict[tuple[str, str], str]:
    """(la_code, table) -> the newest drop's file, relative to the landing root (listed here, by hand)."""
    out: dict[tuple[str, str], str] = {}
    for path in sorted(landing.glob("[0-9][0-9][0-9]/*/*.csv")):
        la, day = path.parts[-3], path.parts[-2]
        out[(la, path.stem)] = f"{la}/{day}/{path.name}"  # sorted: later drops overwrite earlier
    return out


def snapshot(con, exclude=VOLATILE) -> dict[str, list[tuple]]:
    """Every raw and raw_meta table, rows sorted, without the columns in `exclude`."""
    out = {}
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('raw', 'raw_meta') "
        "AND NOT temporary ORDER BY ALL"
    ).fetchall()
    for schema, table in tables:
        cols = [
            r[0]
            for r in con.execute(
                f'SELECT column_name FROM (DESCRIBE "{schema}"."{table}")'
            ).fetchall()
            if r[0] not in exclude
        ]
        sel = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in cols)
        out[f"{schema}.{table}"] = sorted(
            con.execute(f'SELECT {sel} FROM "{schema}"."{table}"').fetchall(),
            key=lambda r: tuple("" if v is None else v for v in r),
        )
    return out


def add_drop(
    landing: Path,
    la_codes: list[str],
    end: date,
    tmp: Path,
    seed: int = 1,
    children: int = 800,
    keep: set[str] | None = None,
) -> str:
    """Generate a later drop for these authorities and move it into the landing area."""
    scratch = tmp / f"gen-{end.isoformat()}"
    generate(scratch, years=1, end_date=end, seed=seed, la_codes=la_codes, children=children)
    for la in la_codes:
        src = scratch / la / end.isoformat()
        dst = landing / la / end.isoformat()
        dst.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            if keep is None or f.stem in keep:
                shutil.move(str(f), dst / f.name)
    shutil.rmtree(scratch)
    return end.isoformat()


@pytest.fixture(scope="session")
def small_drop(tmp_path_factory) -> Path:
    """A clean landing: authorities 884 and 801, one drop, small. Copy it before changing it."""
    out = tmp_path_factory.mktemp("small")
    generate(out, years=1, end_date=END, seed=2, la_codes=["884", "801"], children=800)
    return out


@pytest.fixture
def landing_copy(small_drop, tmp_path) -> Path:
    dst = tmp_path / "landing"
    shutil.copytree(small_drop, dst)
    return dst
