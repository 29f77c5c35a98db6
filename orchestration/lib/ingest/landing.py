"""The landing area: `<landing>/<la_code>/<extract_date>/<table>.csv|.parquet`.

Each drop is a full snapshot of the tables it holds; the newest readable drop of a table is
current, and a table absent from a drop keeps its previous version. Anything that does not fit
the layout is reported, never silently used.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

LA_CODE = re.compile(r"^\d{3}$")
TABLE_NAME = re.compile(r"^(ssd|ext)_[a-z0-9_]+$")
SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class LandingFile:
    la_code: str
    extract_date: date
    table: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".").lower()

    def relative(self, landing: Path) -> str:
        return self.path.relative_to(landing).as_posix()


@dataclass
class LandingScan:
    files: list[LandingFile]
    ignored: list[str]  # paths not in the layout, with the reason

    def authorities(self) -> list[str]:
        return sorted({f.la_code for f in self.files})

    def candidates(self, la_code: str) -> dict[str, list[LandingFile]]:
        """For one authority: every table's files, newest drop first."""
        by_table: dict[str, list[LandingFile]] = {}
        for f in self.files:
            if f.la_code == la_code:
                by_table.setdefault(f.table, []).append(f)
        return {t: sorted(fs, key=lambda f: f.extract_date, reverse=True) for t, fs in by_table.items()}


def _parse_date(name: str) -> date | None:
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def scan_landing(landing: Path) -> LandingScan:
    files: list[LandingFile] = []
    ignored: list[str] = []
    if not landing.is_dir():
        raise FileNotFoundError(f"landing area {landing} does not exist")
    for la_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        if not LA_CODE.match(la_dir.name):
            ignored.append(f"{la_dir}: not a three-digit authority code")
            continue
        for drop in sorted(p for p in la_dir.iterdir()):
            extract_date = _parse_date(drop.name) if drop.is_dir() else None
            if extract_date is None:
                ignored.append(f"{drop}: not a YYYY-MM-DD drop folder")
                continue
            seen: set[str] = set()
            for path in sorted(drop.iterdir()):
                table = path.stem.lower()
                if path.suffix.lower() not in SUFFIXES or not TABLE_NAME.match(table):
                    ignored.append(f"{path}: not a <table>.csv or <table>.parquet extract")
                    continue
                if table in seen:
                    ignored.append(f"{path}: {table} delivered twice in one drop; the CSV is used")
                    continue
                seen.add(table)
                st = path.stat()
                files.append(LandingFile(la_dir.name, extract_date, table, path, st.st_size, st.st_mtime_ns))
    return LandingScan(files, ignored)
