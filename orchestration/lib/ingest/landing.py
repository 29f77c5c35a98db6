"""The landing area: `<landing>/<la_code>/<extract_date>/<file>`.

A file is an extract table named after it (`ssd_person.csv`, `ext_staff.parquet`), a 903 table
(by file name or column set) or a return XML (CIN census, CSWW, SSDA903), recognised by
lib/ingest/returns.py; one XML feeds several tables. Each drop is a full snapshot of the tables it
holds; the newest readable drop of a table is current, and a table absent from a drop keeps its
previous version. Anything not recognised is reported, never silently used or dropped.
"""

import re
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

LA_CODE = re.compile(r"^\d{3}$")
TABLE_NAME = re.compile(r"^(ssd|ext)_[a-z0-9_]+$")
SUFFIXES = (".csv", ".parquet")
EXTRACT = "extract"  # the collection of SSD and local extract tables


@dataclass(frozen=True)
class LandingFile:
    la_code: str
    extract_date: date
    table: str
    path: Path
    size: int
    mtime_ns: int
    collection: str = EXTRACT  # extract | ssda903 | cin | csww
    return_year: int | None = None
    recognised: str = ""  # what the recognition rested on (file name, column set, XML root ...)

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".").lower()

    @property
    def described(self) -> str:
        """For the load log: the format found and how, with the return year."""
        if self.collection == EXTRACT:
            return f"extract {self.format.upper()}"
        year = f" {self.return_year}" if self.return_year else ""
        return f"{self.collection.upper()}{year} {self.format.upper()} ({self.recognised})"

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
        return {
            t: sorted(fs, key=lambda f: f.extract_date, reverse=True) for t, fs in by_table.items()
        }


DROP_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(name: str) -> date | None:
    """The date of a drop folder named YYYY-MM-DD; Python 3.11 would also read 20250430 or an ISO
    week date (2025-W18-3), names the layout does not allow."""
    if not DROP_NAME.match(name):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None


def _outside(path: Path, root: Path) -> str | None:
    """Why a path is refused if it leads out of the landing area (a symbolic link, or one above it)."""
    resolved = path.resolve()
    if resolved == root or root in resolved.parents:
        return None
    return f"a symbolic link to {resolved}, outside the landing area: refused, not read"


def list_drops(
    landing: Path, today: date | None = None
) -> tuple[list[tuple[str, date, Path]], list[tuple[Path, str]]]:
    """The drop folders ingestion reads, `(la_code, extract_date, folder)` in order, and the paths
    it ignores with why: the layout alone (folder names and today's date), no file is opened.
    scan_landing reads these drops; the run's fingerprint (lib/fingerprint.py) lists them. An
    authority or drop folder that is a symbolic link leading out of the landing area is refused."""
    today = today or date.today()
    drops: list[tuple[str, date, Path]] = []
    ignored: list[tuple[Path, str]] = []
    if not landing.is_dir():
        raise FileNotFoundError(f"landing area {landing} does not exist")
    root = landing.resolve()
    for la_dir in sorted(p for p in landing.iterdir() if p.is_dir()):
        if not LA_CODE.match(la_dir.name):
            ignored.append((la_dir, "not a three-digit authority code"))
            continue
        if why := _outside(la_dir, root):
            ignored.append((la_dir, why))
            continue
        for drop in sorted(p for p in la_dir.iterdir()):
            extract_date = _parse_date(drop.name) if drop.is_dir() else None
            if extract_date is None:
                ignored.append((drop, "not a YYYY-MM-DD drop folder"))
                continue
            if why := _outside(drop, root):
                ignored.append((drop, why))
                continue
            if extract_date > today:  # it would move the data date past every complete period
                ignored.append(
                    (
                        drop,
                        (
                            f"extract date {extract_date} is in the future (today is {today}); "
                            f"refused: rename the folder to the date the extract was taken"
                        ),
                    )
                )
                continue
            drops.append((la_dir.name, extract_date, drop))
    return drops, ignored


def scan_landing(
    landing: Path, today: date | None = None, settle_seconds: float = 0.0, now: float | None = None
) -> LandingScan:
    """Every usable file of the landing area and every path it cannot use, with the reason.

    Nothing outside the landing area is read: a folder or file that is a symbolic link leading
    out of it is refused. A file modified less than `settle_seconds` ago (either way, for clocks
    that disagree) may still be being written: it is left for a later run, as if not yet there.
    """
    now = time.time() if now is None else now
    files: list[LandingFile] = []
    drops, refused = list_drops(landing, today)
    ignored: list[tuple[Path, str]] = list(refused)
    root = landing.resolve()
    for la_code, extract_date, drop in drops:
        seen: dict[tuple[str, int | None], Path] = {}  # a return's table once per return year
        for path in sorted(drop.iterdir()):
            why = _outside(path, root) or unsettled(path, settle_seconds, now)
            found = why or _recognise(path, extract_date)
            if isinstance(found, str):
                ignored.append((path, found))
                continue
            st = path.stat()
            for table, collection, year, how in found:
                if (table, year) in seen:
                    ignored.append(
                        (
                            path,
                            (
                                f"{table} delivered twice in one drop; "
                                f"{seen[table, year].name} is used"
                            ),
                        )
                    )
                    continue
                seen[table, year] = path
                files.append(
                    LandingFile(
                        la_code,
                        extract_date,
                        table,
                        path,
                        st.st_size,
                        st.st_mtime_ns,
                        collection,
                        year,
                        how,
                    )
                )
    ignored.sort(key=lambda item: item[0].parts)  # in the order of the folders, as they are walked
    return LandingScan(files, [f"{path}: {reason}" for path, reason in ignored])


def unsettled(path: Path, settle_seconds: float, now: float) -> str | None:
    """Why a file is left for a later run if it was modified within the settle window, else None."""
    if settle_seconds <= 0 or not path.is_file():
        return None
    age = now - path.stat().st_mtime
    if abs(age) >= settle_seconds:
        return None
    return (
        f"modified {age:.0f} s ago, within the settle window of {settle_seconds:g} s "
        f"(CSCW_LANDING_SETTLE_SECONDS): may still be being written, left for a later run"
    )


def _recognise(path: Path, extract_date: date) -> list[tuple[str, str, int | None, str]] | str:
    """(table, collection, return year, how) for each table a file feeds, or why it feeds none."""
    from orchestration.lib.ingest.returns import (
        collection_year,
        recognise_csv,
        recognise_xml,
        return_tables,
    )

    suffix, stem = path.suffix.lower(), path.stem.lower()
    if not path.is_file():
        return "not a file"
    if suffix in SUFFIXES and (TABLE_NAME.match(stem) or stem in return_tables()):
        collection = return_tables().get(stem, EXTRACT)
        if collection == EXTRACT:
            return [(stem, collection, None, "table name")]
        return [
            (stem, collection, collection_year(extract_date), "table name; year from extract date")
        ]
    found = (
        recognise_csv(path, extract_date)
        if suffix == ".csv"
        else (recognise_xml(path, extract_date) if suffix == ".xml" else None)
    )
    if found is None:
        return (
            "not recognised: neither an extract table (ssd_* or ext_* .csv or .parquet), an SSDA903 table "
            "(by file name or exact column set) nor a return XML (CIN census, CSWW, SSDA903)"
        )
    how = found.how + (f"; year from {found.year_from}" if found.year_from else "")
    return [(t, found.collection, found.year, how) for t in found.tables]
