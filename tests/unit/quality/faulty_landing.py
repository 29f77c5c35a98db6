"""A small generated landing with every fault class, loaded twice (first drop, then the
duplicated drop), and expected outcomes worked out from the generator's fault manifest and
by reading the files with Python's csv module: never from the loader or the suites.
"""

import csv
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb

from orchestration.lib.contract import extract_contract
from orchestration.lib.settings import REPO_ROOT
from tests.csv_records import read_text, records  # noqa: F401 - re-exported to the tests

FAULTS = (
    "duplicate_key=0.01,orphan_fk=0.01,missing_required=0.01,bad_date=0.01,end_before_start=0.01,"
    "unknown_code=0.01,cp1252_file=1,missing_column=1,extra_column=1,empty_file=1,header_only_file=1,"
    "duplicate_drop=1"
)
END = date(2025, 3, 31)
CHILDREN = 3000
QUIET = {"log": lambda _msg: None}
# the loader's reason class for each quarantine fault class of the generator (FAULTS.md)
REASON_OF_FAULT = {
    "duplicate_key": "duplicate_key",
    "missing_required": "missing_required",
    "bad_date": "bad_date",
    "unknown_code": "unknown_code",
}


def generate_landing(out: Path, authorities: int = 2) -> Path:
    from cscw_synth import generate

    generate(
        out,
        authorities=authorities,
        years=1,
        end_date=END,
        seed=7,
        faults=FAULTS,
        children=CHILDREN,
    )
    return out


def read_manifest(landing: Path) -> list[dict]:
    with open(landing / "faults_manifest.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def newest_files(landing: Path) -> dict[tuple[str, str], Path]:
    out = {}
    for path in sorted(landing.glob("[0-9][0-9][0-9]/*/*.csv")):
        out[(path.parts[-3], path.stem)] = path
    return out


def failed_tables(landing: Path, manifest: list[dict]) -> set[tuple[str, str]]:
    """(la, table) whose every drop fails: injected file errors, plus header-only files that a
    small authority produces for a rare event (these fail by contract too)."""
    out = {(m["la_code"], m["table"]) for m in manifest if m["expected"] == "file_error"}
    for (la, table), path in newest_files(landing).items():
        if path.stat().st_size == 0 or not records(path):
            out.add((la, table))
    return out


def quarantined_lines(
    landing: Path, manifest: list[dict]
) -> dict[tuple[str, str], dict[int, set[str]]]:
    """(la, table) -> {physical line of the newest file: {reason classes}}: the injected rows,
    and for a duplicate_key every other row holding the same key."""
    newest = newest_files(landing)
    out: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for m in manifest:
        if m["expected"] != "quarantine":
            continue
        key = (m["la_code"], m["table"])
        line = int(m["line"])
        out[key][line].add(REASON_OF_FAULT[m["fault"]])
        if m["fault"] == "duplicate_key":
            rows = records(newest[key])
            value = dict(rows)[line][m["column"]]
            for other, row in rows:
                if row[m["column"]] == value:
                    out[key][other].add("duplicate_key")
    return out


def rows_read(landing: Path) -> dict[tuple[str, str], int]:
    return {key: len(records(path)) for key, path in newest_files(landing).items()}


def thresholds() -> dict[str, dict]:
    with open(REPO_ROOT / "seeds" / "quality_thresholds.csv", newline="") as f:
        return {r["measure"]: r for r in csv.DictReader(f) if r["table_name"] == "*"}


def load_twice(landing: Path, db: Path) -> duckdb.DuckDBPyConnection:
    """Load the landing without the duplicated drop (run r1), then with it (run r2)."""
    from orchestration.lib.ingest.loader import load_landing

    manifest = read_manifest(landing)
    dup_dirs = sorted(
        {Path(m["file"]).parent.as_posix() for m in manifest if m["fault"] == "duplicate_drop"}
    )
    aside = landing.parent / (landing.name + "_aside")
    for d in dup_dirs:
        (aside / d).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(landing / d, aside / d)
    con = duckdb.connect(str(db))
    con.execute("SET threads = 2")
    load_landing(con, landing, "r1", **QUIET)
    for d in dup_dirs:
        shutil.move(aside / d, landing / d)
    load_landing(con, landing, "r2", **QUIET)
    return con


CONTRACT_TABLES = sorted(extract_contract())  # what an SSD authority is expected to send
