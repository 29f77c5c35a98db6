"""Load a landing area into the raw layer: contract enforcement, quarantine, provenance.

Per authority, in one DuckDB transaction (so a crash at any point leaves the previous state):
1. every table's newest readable file is parsed as text by DuckDB's CSV reader, its header matched
   to the contract under the names of every case-management system's script, values cleaned as
   councils export them and typed with the contract's rules, identifiers pseudonymised; row-level
   failures (no key, no child, a date or number that is not one, a code off its list, a duplicate
   key) are collected;
2. a child the file leaves out is taken from the parent row (lib/ingest/references.py);
3. the authority's rows in `raw.<table>` are replaced, failures go to `raw_meta.quarantine`,
   `raw_meta.load_log` records every file read with rows read = loaded + quarantined, the naming
   recognised and notes; what was read as "nothing" is counted in `raw_meta.value_notes`,
   references without a parent in `raw_meta.orphans`; who a pseudonym is goes to the restricted
   schema (lib/ingest/restricted.py).
Return XML (CIN census, CSWW, SSDA903) is parsed safely and flattened to one CSV per contract
table first (lib/ingest/returns.py); its records keep their XML line, and a record with XSD
problems is quarantined with them. References never quarantine a row. An authority whose files, contract and pseudonym key have not
changed since its last load is skipped (no work). A file that cannot be read fails that table;
the previous current version stays. Authorities are read side by side (CSCW_INGEST_WORKERS), each
on its own connection; their transactions take turns. With fewer authorities than workers, an
authority's tables are staged side by side too.
"""

import csv
import hashlib
import itertools
import re
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path

import duckdb

from orchestration.lib.contract import (
    CANONICAL_NAMING,
    Table,
    ValueConventions,
    contract_fingerprint,
    load_contract,
    load_order,
    value_conventions,
)
from orchestration.lib.ingest.files import inspect_file, transcode_to_utf8
from orchestration.lib.ingest.landing import LandingFile, LandingScan, scan_landing
from orchestration.lib.ingest.references import (
    ORPHANS_DDL,
    count_orphans,
    derive_children,
)
from orchestration.lib.ingest.restricted import (
    KEY_MAP_KINDS,
    ensure_restricted,
    keep_identities,
)
from orchestration.lib.ingest.returns import (
    XML_LINE,
    XML_PROBLEMS,
    Flattened,
    ReturnFileError,
    flatten,
    unknown_year_note,
    xsd_for,
)
from orchestration.lib.ingest.sql import (
    META_COLUMNS,
    raw_table_columns,
    raw_table_ddl,
    staged_select,
    stored_column_names,
    value_notes_select,
)
from orchestration.lib.pseudonymise import configure_pseudonyms
from orchestration.lib.pseudonymise import pseudonym as python_pseudonym
from orchestration.lib.sqltext import lit, q
from orchestration.lib.testpoints import pause_point

RAW = "raw"
META = "raw_meta"

META_DDL = [
    f"CREATE SCHEMA IF NOT EXISTS {RAW}",
    f"CREATE SCHEMA IF NOT EXISTS {META}",
    f"""CREATE TABLE IF NOT EXISTS {META}.load_log (
        run_id VARCHAR, la_code VARCHAR, table_name VARCHAR, extract_date DATE, source_file VARCHAR,
        file_sha256 VARCHAR, file_bytes BIGINT, encoding VARCHAR, status VARCHAR, message VARCHAR,
        rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
        loaded_at TIMESTAMP, seconds DOUBLE, naming VARCHAR, notes VARCHAR, format VARCHAR,
        return_year INTEGER)""",
    # warehouses from before the naming, notes, format and return year columns
    f"ALTER TABLE {META}.load_log ADD COLUMN IF NOT EXISTS naming VARCHAR",
    f"ALTER TABLE {META}.load_log ADD COLUMN IF NOT EXISTS notes VARCHAR",
    f"ALTER TABLE {META}.load_log ADD COLUMN IF NOT EXISTS format VARCHAR",
    f"ALTER TABLE {META}.load_log ADD COLUMN IF NOT EXISTS return_year INTEGER",
    f"""CREATE TABLE IF NOT EXISTS {META}.quarantine (
        la_code VARCHAR, extract_date DATE, table_name VARCHAR, source_file VARCHAR, line BIGINT,
        column_name VARCHAR, reason VARCHAR, value VARCHAR, run_id VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {META}.current_versions (
        la_code VARCHAR, table_name VARCHAR, extract_date DATE, source_file VARCHAR,
        file_sha256 VARCHAR, rows_loaded BIGINT, run_id VARCHAR, collection VARCHAR, return_year INTEGER)""",
    f"ALTER TABLE {META}.current_versions ADD COLUMN IF NOT EXISTS collection VARCHAR",
    f"ALTER TABLE {META}.current_versions ADD COLUMN IF NOT EXISTS return_year INTEGER",
    f"""CREATE TABLE IF NOT EXISTS {META}.authority_state (
        la_code VARCHAR PRIMARY KEY, fingerprint VARCHAR, run_id VARCHAR, loaded_at TIMESTAMP)""",
    f"""CREATE TABLE IF NOT EXISTS {META}.value_notes (
        la_code VARCHAR, table_name VARCHAR, source_file VARCHAR, column_name VARCHAR, note VARCHAR,
        rows BIGINT, example VARCHAR)""",
    ORPHANS_DDL,
    # files of the landing area that feed no table, with the reason, as of the latest scan
    f"""CREATE TABLE IF NOT EXISTS {META}.landing_ignored (
        run_id VARCHAR, la_code VARCHAR, path VARCHAR, reason VARCHAR, seen_at TIMESTAMP)""",
]


class FileError(Exception):
    """A file that cannot be used at all; the message names the file and the problem."""


@dataclass
class FileResult:
    file: LandingFile
    source_file: str
    sha256: str = ""
    encoding: str = ""
    status: str = "loaded"  # loaded | failed
    message: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    spec: Table | None = (
        None  # the contract table, or the delivered columns of an ssd_* table outside it
    )
    outside_contract: bool = False
    naming: str = ""  # whose column names the header used: ssd, mosaic, ssd_yaml, ...
    notes: list[str] = field(default_factory=list)
    value_notes: list[tuple[str, str, int, str | None]] = field(default_factory=list)


@dataclass
class LoadReport:
    run_id: str
    loaded: list[FileResult] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)
    skipped_authorities: list[str] = field(default_factory=list)
    loaded_authorities: list[str] = field(default_factory=list)
    ignored_paths: list[str] = field(default_factory=list)

    def by_table(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.loaded:
            t = out.setdefault(
                r.file.table, {"files": 0, "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0}
            )
            t["files"] += 1
            t["rows_read"] += r.rows_read
            t["rows_loaded"] += r.rows_loaded
            t["rows_quarantined"] += r.rows_quarantined
        return out


def ensure_meta(con) -> None:
    for ddl in META_DDL:
        con.execute(ddl)
    ensure_restricted(con)
    for table in load_contract().values():
        _ensure_raw_table(con, table)


def _ensure_raw_table(con, table: Table) -> None:
    """Create `raw.<table>`, or bring a table of an older contract to this one's columns and types
    (the contract's fingerprint reloads every authority that lands again)."""
    con.execute(raw_table_ddl(RAW, table))
    have = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [RAW, table.name],
        ).fetchall()
    )
    want = dict(raw_table_columns(table))
    for name, sql_type in want.items():
        if name not in have:
            con.execute(f"ALTER TABLE {RAW}.{q(table.name)} ADD COLUMN {q(name)} {sql_type}")
        elif have[name] != sql_type:
            con.execute(
                f"ALTER TABLE {RAW}.{q(table.name)} ALTER COLUMN {q(name)} TYPE {sql_type} "
                f"USING try_cast({q(name)} AS {sql_type})"
            )
    for name in have:
        if name not in want:  # e.g. a direct identifier that raw no longer keeps
            con.execute(f"ALTER TABLE {RAW}.{q(table.name)} DROP COLUMN {q(name)}")


def fingerprint(
    candidates: dict[str, list[LandingFile]], pseudonym_key: str, xml: "XmlSettings | None" = None
) -> str:
    """Changes whenever any file of the authority is added, removed, resized or touched, or the
    contract, the value conventions, the pseudonym key or the XML settings change (all change
    what raw holds)."""
    h = hashlib.sha256()
    h.update(contract_fingerprint().encode())
    if xml is not None:
        h.update(f"{xml.max_bytes}|{xml.schemas}".encode())
    h.update(
        python_pseudonym(pseudonym_key, "fingerprint").encode()
    )  # the key itself is never stored
    for table in sorted(candidates):
        for f in candidates[table]:
            h.update(f"{table}|{f.extract_date}|{f.path.name}|{f.size}|{f.mtime_ns}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class XmlSettings:
    max_bytes: int = 512 << 20
    schemas: Path | None = None  # folder of the returns' XSDs


def load_landing(
    con,
    landing: Path,
    run_id: str,
    log=print,
    pseudonym_key: str | None = None,
    xml: XmlSettings | None = None,
    settle_seconds: float | None = None,
    workers: int | None = None,
) -> LoadReport:
    """Load every authority in the landing area whose files changed since their last load; a file
    modified within `settle_seconds` (CSCW_LANDING_SETTLE_SECONDS) is left for a later run.
    Up to `workers` authorities (CSCW_INGEST_WORKERS) are read at once (`_load_authorities`);
    workers left over stage one authority's tables side by side."""
    if pseudonym_key is None or xml is None or settle_seconds is None or workers is None:
        from orchestration.lib.settings import load_settings

        settings = load_settings()
        pseudonym_key = pseudonym_key or settings.pseudonym_key
        xml = xml or XmlSettings(settings.xml_max_mb << 20, settings.return_schemas)
        settle_seconds = (
            settings.landing_settle_seconds if settle_seconds is None else settle_seconds
        )
        workers = workers or settings.ingest_workers
    configure_pseudonyms(con, pseudonym_key)
    ensure_meta(con)
    scan: LandingScan = scan_landing(landing, settle_seconds=settle_seconds)
    report = LoadReport(run_id, ignored_paths=list(scan.ignored))
    for path in scan.ignored:
        log(f"ignored: {path}")
    _record_ignored(con, landing, run_id, scan.ignored)
    state = dict(con.execute(f"SELECT la_code, fingerprint FROM {META}.authority_state").fetchall())
    todo = []
    for la_code in scan.authorities():
        candidates = scan.candidates(la_code)
        fp = fingerprint(candidates, pseudonym_key, xml)
        if state.get(la_code) == fp:
            report.skipped_authorities.append(la_code)
            log(f"{la_code}: no new or changed files, nothing to do")
            continue
        todo.append((la_code, candidates, fp))
    said = threading.Lock()

    def say(message: str) -> None:  # one line at a time into Dagster's log, whichever load says it
        with said:
            log(message)

    # attached here, once: two loads attaching it at once race (IF NOT EXISTS is no lock)
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {STAGE_DB}")
    # the workers left over when there are fewer authorities than workers stage files side by side
    files_at_once = max(1, workers // max(1, len(todo)))
    load = partial(
        _load_on_own_connection,
        con,
        landing,
        run_id,
        say,
        xml,
        pseudonym_key,
        threading.Lock(),
        files_at_once,
    )
    _load_authorities(todo, load, workers, report)
    return report


def _load_authorities(todo: list, load, workers: int, report: LoadReport) -> None:
    """Load the authorities of `todo`, up to `workers` at once, into `report` in landing order.

    One load staging one table at a time keeps about one core busy: most of its statements are
    small, and DuckDB runs each on few threads (one authority of 36,000 children x 6 years: 7.2 s
    wall, 7.4 s of CPU); the workers left over stage an authority's tables side by side
    (`_load_authority`). Reading and typing (each on a cursor of its own) run side by side; the
    transactions that write the warehouse take turns (`_load_authority`'s lock), so two loads
    never change the same tables or the catalogue at once. An authority that fails does not
    stop the others; the first failure is raised when every load has ended, as one authority's
    load is all or nothing."""
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
        futures = [pool.submit(load, la_code, candidates, fp) for la_code, candidates, fp in todo]
    errors = []
    for (la_code, _, _), future in zip(todo, futures, strict=True):
        if future.exception() is not None:
            errors.append(future.exception())
            continue
        part = future.result()
        report.loaded += part.loaded
        report.failed += part.failed
        report.ignored_paths += part.ignored_paths
        report.loaded_authorities.append(la_code)
    if errors:
        raise errors[0]


def _load_on_own_connection(
    con, landing, run_id, log, xml, pseudonym_key, lock, files_at_once, la_code, candidates, fp
) -> LoadReport:
    part = LoadReport(run_id)

    def cursor():  # its own temp tables and variables, the same database
        own = con.cursor()
        configure_pseudonyms(own, pseudonym_key)
        return own

    own = cursor()
    try:
        _load_authority(
            own,
            cursor,
            files_at_once,
            landing,
            la_code,
            candidates,
            fp,
            run_id,
            part,
            log,
            xml,
            lock,
        )
    finally:
        own.close()
    return part


def _record_ignored(con, landing: Path, run_id: str, ignored: list[str]) -> None:
    """Replace the list of unused landing files: what the latest scan could not use, and why."""
    rows = []
    for entry in ignored:
        path, _, reason = entry.partition(": ")
        try:
            rel = Path(path).relative_to(landing).as_posix()
        except ValueError:
            rel = path
        la_code = rel.split("/", 1)[0]
        rows.append(
            [
                run_id,
                la_code if la_code.isdigit() and len(la_code) == 3 else None,
                rel,
                reason,
                _now(),
            ]
        )
    con.execute(f"DELETE FROM {META}.landing_ignored")
    if rows:
        con.executemany(f"INSERT INTO {META}.landing_ignored VALUES (?, ?, ?, ?, ?)", rows)


def _load_authority(
    con,
    cursor,
    files_at_once: int,
    landing,
    la_code,
    candidates,
    fp,
    run_id,
    report: LoadReport,
    log,
    xml: XmlSettings,
    lock: threading.Lock,
) -> None:
    contract = load_contract()
    tables = [t for t in load_order(contract) if t in candidates]
    tables += sorted(t for t in candidates if t not in contract and t.startswith("ssd_"))
    for t in sorted(set(candidates) - set(tables)):
        report.ignored_paths.append(f"{la_code}: {t} is not in the contract and not an ssd_* table")
    flattened: dict[Path, Flattened | ReturnFileError] = {}  # each XML parsed once for its tables
    flattening = threading.Lock()

    def stage_table(table: str, tmp: Path) -> list[tuple[int | None, FileResult]]:
        """Stage the table's newest readable file, for a statutory return one per return year (a
        council's 903 or census files of several years are all current, each replacing only its
        own year), on a cursor of its own: the tables are staged side by side."""
        own = cursor()
        try:
            return [
                (year, result)
                for year, files in _by_return_year(candidates[table])
                if (result := stage_newest(own, table, year, files, tmp)) is not None
            ]
        finally:
            own.close()

    def stage_newest(own, table, year, files, tmp) -> FileResult | None:
        for f in files:  # newest first; an unreadable drop falls back to the previous
            result = FileResult(f, f.relative(landing))
            started = time.perf_counter()
            try:
                with flattening:
                    source = _flat_source(f, result, flattened, tmp, xml)
                _stage_file(own, f, table, contract.get(table), la_code, result, tmp, source)
            except FileError as e:  # nothing of the file is taken, whatever was read of it
                result.status, result.message = "failed", str(e)
                result.rows_read = result.rows_loaded = result.rows_quarantined = 0
                result.seconds = time.perf_counter() - started
                report.failed.append(result)
                log(f"FAILED {result.source_file}: {e}")
                continue
            result.seconds = time.perf_counter() - started
            if year is not None:  # keep this year's stage apart from the next year's
                own.execute(
                    f"ALTER TABLE {_stage(la_code, table)} RENAME TO {_stage_name(table, year)}; "
                    f"ALTER TABLE {_rejects(la_code, table)} RENAME TO {_rejects_name(table, year)}"
                )
            return result
        return None

    con.execute(f"DROP SCHEMA IF EXISTS {_stage_schema(la_code)} CASCADE")
    con.execute(f"CREATE SCHEMA {_stage_schema(la_code)}")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="cscw-ingest-") as tmp,
            ThreadPoolExecutor(max_workers=files_at_once) as pool,
        ):
            done = pool.map(partial(stage_table, tmp=Path(tmp)), tables)
            staged: dict[tuple[str, int | None], FileResult] = {
                (table, year): result
                for table, results in zip(tables, done, strict=True)
                for year, result in results
            }
        stages = {t: _stage(la_code, t) for t, year in staged if year is None}
        for (table, year), result in staged.items():
            if table in contract and year is None:
                derived, note = derive_children(
                    con, contract, contract[table], _stage(la_code, table), la_code, stages
                )
                if derived:
                    result.notes.append(f"{note}: {derived} rows")
        with lock:
            _replace_authority(con, la_code, fp, run_id, report, staged, contract)
    finally:
        con.execute(f"DROP SCHEMA IF EXISTS {_stage_schema(la_code)} CASCADE")
    for result in staged.values():
        report.loaded.append(result)
        log(
            f"{result.source_file}: read {result.rows_read}, loaded {result.rows_loaded}, "
            f"quarantined {result.rows_quarantined}"
            + (f"; naming {result.naming}" if result.naming != CANONICAL_NAMING else "")
        )


def _replace_authority(con, la_code, fp, run_id, report: LoadReport, staged, contract) -> None:
    """The authority's staged tables replace its rows of the warehouse, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        replaced: set[str] = set()
        for (table, year), result in staged.items():
            _publish_raw(con, table, year, la_code, result, run_id)
            keep_identities(
                con,
                _stage(la_code, table, year),
                table,
                result.spec,
                la_code,
                replace=table not in replaced,
            )
            replaced.add(table)
            pause_point("ingest")
        count_orphans(con, contract, la_code)
        _write_log(
            con,
            la_code,
            run_id,
            list(staged.values()) + [r for r in report.failed if r.file.la_code == la_code],
        )
        con.execute(
            f"INSERT OR REPLACE INTO {META}.authority_state VALUES (?, ?, ?, ?)",
            [la_code, fp, run_id, _now()],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _by_return_year(files: list[LandingFile]) -> list[tuple[int | None, list[LandingFile]]]:
    """A table's files grouped by return year (None: an extract), newest drop first in each."""
    groups: dict[int | None, list[LandingFile]] = {}
    for f in files:
        groups.setdefault(f.return_year, []).append(f)
    return sorted(groups.items(), key=lambda g: g[0] or 0)


# Where an authority's files are staged: an in-memory database of this process, whose tables
# every cursor sees (a temp table is its cursor's only), so that its files are staged side by
# side, each on a cursor of its own, and its load then reads them all (`_load_authority`).
STAGE_DB = "cscw_stage"


def _stage_schema(la_code: str) -> str:
    return f"{STAGE_DB}.{q('la_' + la_code)}"


def _stage_name(table: str, year: int | None = None) -> str:
    return q(f"_stage_{table}" + (f"__{year}" if year is not None else ""))


def _rejects_name(table: str, year: int | None = None) -> str:
    return q(f"_rejects_{table}" + (f"__{year}" if year is not None else ""))


def _stage(la_code: str, table: str, year: int | None = None) -> str:
    return f"{_stage_schema(la_code)}.{_stage_name(table, year)}"


def _rejects(la_code: str, table: str, year: int | None = None) -> str:
    return f"{_stage_schema(la_code)}.{_rejects_name(table, year)}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _match_header(spec: Table, present: dict[str, str], result: FileResult) -> dict[str, str]:
    """Contract column -> header in the file, under any script's naming; records the naming."""
    mapping: dict[str, str] = {}
    namings: set[str] = set()
    for col in spec.columns:
        for naming, header in col.headers():
            if header in present:
                mapping[col.name] = present[header]
                namings.add(naming)
                break
    result.naming = ", ".join(sorted(namings - {CANONICAL_NAMING})) or CANONICAL_NAMING
    return mapping


def _flat_source(
    f: LandingFile, result: FileResult, flattened: dict, tmp: Path, xml: XmlSettings
) -> Path | None:
    """For a return XML, the CSV of this table flattened from it (parsed once per file); notes
    on the return year and the schema validation go to the load log."""
    if f.collection != "extract":
        note = unknown_year_note(f.collection, f.return_year)
        if note:
            result.notes.append(note)
    if f.format != "xml":
        return None
    if f.path not in flattened:
        out = tmp / f"xml-{len(flattened)}"
        out.mkdir()
        xsd = xsd_for(f.collection, f.return_year, xml.schemas)
        try:
            flattened[f.path] = flatten(f.path, f.collection, out, xml.max_bytes, xsd)
            if xsd is None and f.collection != "ssda903":
                flattened[f.path].notes.append(
                    f"no XSD for {f.collection.upper()} {f.return_year} in "
                    f"CSCW_RETURN_SCHEMAS: not validated against the schema"
                )
        except ReturnFileError as e:
            flattened[f.path] = e
    done = flattened[f.path]
    if isinstance(done, ReturnFileError):
        raise FileError(f"{result.source_file}: {done}")
    result.notes.extend(done.notes)
    return done.csv_paths[f.table]


@lru_cache(maxsize=64)
def _file_facts(path: Path, size: int, mtime_ns: int, fmt: str):
    """Hash and encoding of a file, scanned once however many tables it feeds (a return XML
    feeds several); size and modification time in the key re-scan a file that changed."""
    return inspect_file(path, is_text=fmt != "parquet", is_csv=fmt == "csv")


def _stage_file(
    con,
    f: LandingFile,
    table: str,
    spec: Table | None,
    la_code: str,
    result: FileResult,
    tmp: Path,
    flat: Path | None = None,
) -> None:
    """Parse one file (or the CSV flattened from a return XML) into a typed table
    `_stage_<table>` with row-level errors."""
    if f.size == 0:
        raise FileError(f"{result.source_file}: empty file (0 bytes)")
    facts = _file_facts(f.path, f.size, f.mtime_ns, f.format)
    result.sha256, result.encoding = facts.sha256, facts.encoding
    if facts.problem:
        raise FileError(f"{result.source_file}: {facts.problem}")
    path = flat or f.path
    if facts.encoding == "windows-1252" and flat is None:
        path = transcode_to_utf8(f.path, tmp / f"{table}.csv")
    con.execute(
        "DROP TABLE IF EXISTS _text; DROP TABLE IF EXISTS _rejects; DROP TABLE IF EXISTS _reject_scans"
    )
    # the header as written, so DuckDB neither sniffs (a 10 MB field or an unclosed quote breaks
    # its sniffer) nor renames a duplicate column
    header = _header(path, result.source_file) if f.format in ("csv", "xml") else []
    try:
        if f.format in ("csv", "xml"):
            columns = ", ".join(f"{lit(n)}: 'VARCHAR'" for n in header)
            con.execute(
                f"""CREATE TEMP TABLE _text AS SELECT * FROM read_csv({lit(str(path))},
                    columns = {{{columns}}}, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"',
                    store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans')"""
            )
        else:
            con.execute(
                f"CREATE TEMP TABLE _text AS SELECT COLUMNS(*)::VARCHAR FROM read_parquet({lit(str(path))})"
            )
            con.execute(
                "CREATE TEMP TABLE _rejects (line BIGINT, column_name VARCHAR, error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)"
            )
    except Exception as e:  # DuckDB raises several types; all mean "unreadable"
        raise FileError(
            f"{result.source_file}: cannot be read as {f.format.upper()}: {str(e).splitlines()[0]}"
        ) from e
    if flat is not None:  # the XML line and schema problems of each record, kept aside
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _xml AS SELECT rowid AS _rid, {q(XML_LINE)}, {q(XML_PROBLEMS)} FROM _text"
        )
        con.execute(
            f"ALTER TABLE _text DROP COLUMN {q(XML_LINE)}; ALTER TABLE _text DROP COLUMN {q(XML_PROBLEMS)}"
        )
    names = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE _text)").fetchall()]
    lowered = [n.strip().lower() for n in names]
    accepted = con.execute("SELECT count(*) FROM _text").fetchall()[0][0]
    rejected = con.execute("SELECT count(DISTINCT line) FROM _rejects").fetchall()[0][0]
    if accepted + rejected == 0 and flat is None:  # a return may hold no record of a kind
        raise FileError(f"{result.source_file}: header only, no rows")
    present = dict(zip(lowered, names))
    conventions = value_conventions()
    if spec is None:
        kept = [n for n in lowered if not conventions.is_direct_identifier(n)]
        spec = _as_delivered(table, kept)
        result.naming = "as delivered (outside the contract)"
        result.spec, result.outside_contract = spec, True
        mapping = {n: present[n] for n in kept}
        extras, direct = [], [present[n] for n in lowered if n not in kept]
    else:
        result.spec = spec
        mapping = _match_header(spec, present, result)
        missing = [
            c.name
            for c in spec.columns
            if c.required
            and c.name not in mapping
            and not (c.child_from and c.child_from in mapping)
        ]
        if missing:
            raise FileError(
                f"{result.source_file}: required column(s) missing from the header: {', '.join(missing)}"
            )
        matched = {h.lower() for h in mapping.values()}
        others = [n for n in lowered if n not in matched]
        extras = [present[n] for n in others if not conventions.is_direct_identifier(n)]
        direct = [present[n] for n in others if conventions.is_direct_identifier(n)]
        absent = [c.name for c in spec.columns if c.name not in mapping and not c.child_from]
        if absent:
            result.notes.append(f"columns not delivered (empty): {', '.join(absent)}")
        if extras:
            result.notes.append(
                f"columns outside the contract kept in _extras: {', '.join(extras)}"
            )
    if direct:
        result.notes.append(
            f"direct identifiers kept in the restricted schema only: {', '.join(direct)}"
        )
    con.execute(
        f"CREATE OR REPLACE TABLE {_stage(la_code, table)} AS "
        f"{staged_select(spec, mapping, extras, direct, '_text', la_code, conventions, KEY_MAP_KINDS)}"
    )
    _check_primary_key(con, la_code, spec)
    result.value_notes = _value_notes(con, spec, mapping, conventions)
    con.execute(
        f"""CREATE OR REPLACE TABLE {_rejects(la_code, table)} AS
            SELECT line, line AS physical_line, any_value(column_name) AS column_name,
                   any_value(error_type) AS error_type, any_value(csv_line) AS csv_line,
                   string_agg(error_message, '; ') AS error_message
            FROM _rejects GROUP BY line"""
    )
    result.rows_read = accepted + rejected
    con.execute("DROP TABLE IF EXISTS _text; DROP TABLE IF EXISTS _rejects")
    newlines = con.execute(
        f"SELECT coalesce(sum(_newlines), 0) FROM {_stage(la_code, table)}"
    ).fetchone()[0]
    if flat is not None:
        _take_xml_lines(con, la_code, table)
    elif rejected or newlines or facts.blank_lines:
        # otherwise record n is on line n + 1, as staged
        _number_lines(con, la_code, table, path, f.format, accepted + rejected)
    _check_unchanged(f, result)


def _check_unchanged(f: LandingFile, result: FileResult) -> None:
    """A file whose size or modification time moved since the scan was being written while it was
    read: what was read may be half of it. Not taken; the next run reads it whole."""
    try:
        st = f.path.stat()
        now = (st.st_size, st.st_mtime_ns)
    except OSError:
        now = None
    if now != (f.size, f.mtime_ns):
        became = f"{now[0]:,} bytes" if now else "gone"
        raise FileError(
            f"{result.source_file}: changed while it was being read ({f.size:,} bytes -> {became}): "
            f"still being written? not taken; a later run reads it whole"
        )


MAX_COLUMNS = 1000  # the widest contract table has 24 columns, an SSD table outside it a few dozen
HEADER_MAX_CHARS = 1 << 20


def _header(path: Path, source_file: str) -> list[str]:
    """The column names of line 1, read by Python's csv module (one record: a line of at most
    HEADER_MAX_CHARS, a quoted name at most the module's field size limit): a file with no header,
    more than MAX_COLUMNS columns or a name given twice (whatever its case) is refused before
    DuckDB reads it. A blank name becomes `column<n>`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            first = fh.readline(HEADER_MAX_CHARS + 1)
            if len(first) > HEADER_MAX_CHARS:
                raise FileError(
                    f"{source_file}: line 1 (the header) is longer than {HEADER_MAX_CHARS:,} "
                    f"characters: refused unread"
                )
            names = next(
                csv.reader(itertools.chain([first], fh)), []
            )  # a quoted name may hold a line end
    except (csv.Error, UnicodeDecodeError) as e:
        raise FileError(f"{source_file}: line 1 (the header) cannot be read: {e}") from e
    if not any(n.strip() for n in names):
        raise FileError(f"{source_file}: no header: line 1 is empty (a file of blank lines?)")
    if len(names) > MAX_COLUMNS:
        raise FileError(
            f"{source_file}: line 1 (the header) has {len(names):,} columns, over the bound of "
            f"{MAX_COLUMNS:,}: refused unread"
        )
    where: dict[str, list[int]] = {}
    for i, n in enumerate(names, 1):
        if n.strip():
            where.setdefault(n.strip().lower(), []).append(i)
    dupes = [
        f"{n} (columns {' and '.join(map(str, at))})" for n, at in where.items() if len(at) > 1
    ]
    if dupes:
        raise FileError(f"{source_file}: column(s) appear twice in the header: {', '.join(dupes)}")
    return [n if n.strip() else f"column{i}" for i, n in enumerate(names, 1)]


def _take_xml_lines(con, la_code: str, table: str) -> None:
    """Records flattened from XML: the line of their element, and their XSD problems as errors."""
    stage = _stage(la_code, table)
    con.execute(
        f"""UPDATE {stage} SET _line = CAST(x.{q(XML_LINE)} AS BIGINT),
              _errors = CASE WHEN nullif(x.{q(XML_PROBLEMS)}, '') IS NULL THEN _errors
                        ELSE list_append(_errors, {{'column': '(schema)', 'reason': x.{q(XML_PROBLEMS)}, 'value': NULL}}) END
            FROM _xml x WHERE {stage}._record = x._rid + 1"""
    )
    con.execute("DROP TABLE IF EXISTS _xml")


PERSON_REFERENCE = re.compile(r"_person_id$")


def _as_delivered(table: str, headers: list[str]) -> Table:
    """An ssd_* table outside the contract: every column text, as delivered; a `*_person_id` is a
    child's identifier (pseudonymised like the contract's)."""
    from orchestration.lib.contract import Column

    return Table(
        table,
        "SSD",
        tuple(
            Column(table, h, "string", identifies="person" if PERSON_REFERENCE.search(h) else "")
            for h in headers
        ),
    )


def _value_notes(
    con, spec: Table, mapping: dict[str, str], conventions: ValueConventions
) -> list[tuple]:
    """(column, note, rows, example) for every value read as "nothing" or kept as text: one scan."""
    select, notes = value_notes_select(spec, mapping, conventions, "_text")
    if not notes:
        return []
    values = con.execute(select).fetchone()
    return [
        (column, note, values[2 * i], values[2 * i + 1])
        for i, (column, note) in enumerate(notes)
        if values[2 * i]
    ]


def _number_lines(con, la_code: str, table: str, path: Path, fmt: str, records: int) -> None:
    """Physical line of every record, parsed or rejected (header = line 1), for files where it is
    not simply record + 1: rejected rows, line breaks inside quoted values, empty lines.

    DuckDB drops empty lines and does not say where a parsed record was; its rejected rows carry a
    line number that counts empty lines but not line breaks inside quotes. So the file is read
    once more as plain lines: a line starts a record when an even number of quote characters
    precede it and it is not empty; empty lines outside quotes are counted as DuckDB counts them.
    """
    if fmt != "csv":
        return
    stage, rejects = _stage(la_code, table), _rejects(la_code, table)
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE _phys AS SELECT l FROM read_csv({lit(str(path))}, header = false,
                  columns = {{'l': 'VARCHAR'}}, delim = '\x01\x02\x03', quote = '', escape = '', strict_mode = false)"""
        )
    except duckdb.InvalidInputException:  # a line over DuckDB's maximum line size (a 10 MB field)
        _number_lines_from_parse(con, la_code, table)
        return
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _starts AS
           WITH x AS (SELECT rowid + 1 AS p, rtrim(coalesce(l, ''), chr(13)) AS l FROM _phys),
           y AS (SELECT p, l, coalesce(sum(length(l) - length(replace(l, '"', ''))) OVER (
                   ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 = 0 AS outside FROM x),
           z AS (SELECT p, l <> '' AS start FROM y WHERE outside AND p > 1)
           SELECT p, start, row_number() OVER (ORDER BY p) + 1 AS duck_line FROM z"""
    )
    found, unmatched = con.execute(
        f"""SELECT (SELECT count(*) FROM _starts WHERE start),
                   (SELECT count(*) FROM {rejects} r WHERE NOT EXISTS (
                      SELECT 1 FROM _starts s WHERE s.start AND s.duck_line = r.line))"""
    ).fetchone()
    if found == records and unmatched == 0:
        con.execute(
            f"UPDATE {rejects} SET physical_line = s.p FROM _starts s WHERE s.start AND s.duck_line = {rejects}.line"
        )
        con.execute(
            f"""UPDATE {stage} SET _line = a.p FROM (
                  SELECT p, row_number() OVER (ORDER BY p) AS k FROM _starts s
                  WHERE start AND NOT EXISTS (SELECT 1 FROM {rejects} r WHERE r.line = s.duck_line)) a
                WHERE {stage}._record = a.k"""
        )
    else:  # quote characters inside unquoted values: count from the parse (exact without empty lines)
        _number_lines_from_parse(con, la_code, table)
    con.execute("DROP TABLE IF EXISTS _phys; DROP TABLE IF EXISTS _starts")


def _number_lines_from_parse(con, la_code: str, table: str) -> None:
    """Reject m (DuckDB line r_m) follows r_m - 1 - m parsed records; every record adds its
    quoted line breaks to the lines of the records after it."""
    stage, rejects = _stage(la_code, table), _rejects(la_code, table)
    con.execute(
        f"""CREATE OR REPLACE TABLE {rejects} AS
            SELECT * EXCLUDE (physical_line), line - 1 - m AS parsed_before, line AS physical_line FROM (
              SELECT *, row_number() OVER (ORDER BY line) AS m,
                     length(csv_line) - length(replace(csv_line, chr(10), '')) AS newlines
              FROM {rejects})"""
    )
    con.execute(
        f"""UPDATE {stage} SET _line = s.line FROM (
              SELECT _record, _record + 1
                     + coalesce(sum(_newlines) OVER (ORDER BY _record ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                     + coalesce((SELECT sum(1 + r.newlines) FROM {rejects} r WHERE r.parsed_before < _record), 0) AS line
              FROM {stage}) s
            WHERE {stage}._record = s._record"""
    )
    con.execute(
        f"""UPDATE {rejects} SET physical_line = line
              + coalesce((SELECT sum(_newlines) FROM {stage} s WHERE s._record <= {rejects}.parsed_before), 0)
              + coalesce((SELECT sum(r2.newlines) FROM {rejects} r2 WHERE r2.m < {rejects}.m), 0)"""
    )


def _check_primary_key(con, la_code: str, spec: Table) -> None:
    pk = spec.primary_key
    if not pk:
        return
    stage = _stage(la_code, spec.name)
    keys = ", ".join(q(c) for c in pk)
    label = "+".join(pk)
    con.execute(
        f"""UPDATE {stage} SET _errors = list_append(_errors, {{'column': {lit(pk[0])},
              'reason': 'duplicate primary key ' || {lit(label)} || ' (' || d.n || ' rows share it)',
              'value': concat_ws('|', {", ".join(f"d.{q(c)}" for c in pk)})}})
            FROM (SELECT {keys}, count(*) AS n FROM {stage}
                  WHERE {" AND ".join(f"{q(c)} IS NOT NULL" for c in pk)}
                  GROUP BY ALL HAVING count(*) > 1) d
            WHERE {" AND ".join(f"{stage}.{q(c)} = d.{q(c)}" for c in pk)}"""
    )


def _publish_raw(
    con, table: str, year: int | None, la_code: str, result: FileResult, run_id: str
) -> None:
    """Replace the authority's version of the table (of one return year, for a return) in raw,
    with its quarantine, value notes and current-version row."""
    stage, rejects = _stage(la_code, table, year), _rejects(la_code, table, year)
    f = result.file
    cols = stored_column_names(result.spec)
    if result.outside_contract:
        _ensure_text_table(con, table, cols)
    # the version this one replaces: its quarantine and value notes go with it
    previous = [
        r[0]
        for r in con.execute(
            f"SELECT source_file FROM {META}.current_versions WHERE la_code = ? AND table_name = ? "
            f"AND (return_year IS NOT DISTINCT FROM ? OR (return_year IS NULL AND ? IS NOT NULL))",
            [la_code, table, year, year],
        ).fetchall()
    ]
    # rows of a return loaded before return years were kept (NULL year) go with any new version
    con.execute(
        f"DELETE FROM {RAW}.{q(table)} WHERE la_code = ? AND (return_year IS NOT DISTINCT FROM ? "
        f"OR (return_year IS NULL AND ? IS NOT NULL))",
        [la_code, year, year],
    )
    insert_cols = ", ".join(q(c) for c in cols)
    con.execute(
        f"""INSERT INTO {RAW}.{q(table)} BY NAME
            SELECT {insert_cols}, {lit(la_code)} AS la_code, DATE {lit(str(f.extract_date))} AS extract_date,
                   {lit(result.source_file)} AS source_file, _line AS source_line, _extras,
                   {year if year is not None else "NULL"}::INTEGER AS return_year
            FROM {stage} WHERE len(_errors) = 0 ORDER BY _record"""
    )
    for meta_table in ("quarantine", "value_notes"):
        con.execute(
            f"DELETE FROM {META}.{meta_table} WHERE la_code = ? AND table_name = ? "
            f"AND (source_file = ? OR list_contains(?, source_file) OR ? IS NULL)",
            [la_code, table, result.source_file, previous, year],
        )
    con.execute(
        f"""INSERT INTO {META}.quarantine
            SELECT {lit(la_code)}, DATE {lit(str(f.extract_date))}, {lit(table)}, {lit(result.source_file)},
                   _line, e."column", e.reason, e.value, {lit(run_id)}
            FROM (SELECT _line, unnest(_errors) AS e FROM {stage} WHERE len(_errors) > 0)
            UNION ALL
            SELECT {lit(la_code)}, DATE {lit(str(f.extract_date))}, {lit(table)}, {lit(result.source_file)},
                   physical_line, column_name, 'malformed CSV row: ' || error_type || ': ' || error_message, NULL, {lit(run_id)}
            FROM {rejects}"""
    )
    if result.value_notes:
        con.executemany(
            f"INSERT INTO {META}.value_notes VALUES (?, ?, ?, ?, ?, ?, ?)",
            [[la_code, table, result.source_file, *note] for note in result.value_notes],
        )
    loaded, bad = con.execute(
        f"SELECT count(*) FILTER (WHERE len(_errors) = 0), count(*) FILTER (WHERE len(_errors) > 0) FROM {stage}"
    ).fetchall()[0]
    rejected = con.execute(f"SELECT count(*) FROM {rejects}").fetchall()[0][0]
    result.rows_loaded, result.rows_quarantined = loaded, bad + rejected
    if result.rows_read != result.rows_loaded + result.rows_quarantined:
        raise RuntimeError(
            f"{result.source_file}: row accounting does not add up: read {result.rows_read}, "
            f"loaded {result.rows_loaded}, quarantined {result.rows_quarantined}"
        )
    con.execute(
        f"DELETE FROM {META}.current_versions WHERE la_code = ? AND table_name = ? "
        f"AND (return_year IS NOT DISTINCT FROM ? OR (return_year IS NULL AND ? IS NOT NULL))",
        [la_code, table, year, year],
    )
    con.execute(
        f"""INSERT INTO {META}.current_versions (la_code, table_name, extract_date, source_file, file_sha256,
              rows_loaded, run_id, collection, return_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            la_code,
            table,
            f.extract_date,
            result.source_file,
            result.sha256,
            loaded,
            run_id,
            f.collection,
            year,
        ],
    )


def _ensure_text_table(con, table: str, columns: list[str]) -> None:
    """An ssd_* table outside the contract: all text, columns added as new ones arrive."""
    meta = ", ".join(f"{q(n)} {t}" for n, t in META_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS {RAW}.{q(table)} ({meta})")
    for n, t in META_COLUMNS:  # a table created before a meta column existed
        con.execute(f"ALTER TABLE {RAW}.{q(table)} ADD COLUMN IF NOT EXISTS {q(n)} {t}")
    for c in columns:
        con.execute(f"ALTER TABLE {RAW}.{q(table)} ADD COLUMN IF NOT EXISTS {q(c)} VARCHAR")


def _write_log(con, la_code: str, run_id: str, results: list[FileResult]) -> None:
    con.executemany(
        f"""INSERT INTO {META}.load_log (run_id, la_code, table_name, extract_date, source_file, file_sha256,
              file_bytes, encoding, status, message, rows_read, rows_loaded, rows_quarantined, loaded_at, seconds,
              naming, notes, format, return_year) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            [
                run_id,
                la_code,
                r.file.table,
                r.file.extract_date,
                r.source_file,
                r.sha256,
                r.file.size,
                r.encoding,
                r.status,
                r.message,
                r.rows_read,
                r.rows_loaded,
                r.rows_quarantined,
                _now(),
                r.seconds,
                r.naming or None,
                "; ".join(r.notes) or None,
                r.file.described,
                r.file.return_year,
            ]
            for r in results
        ],
    )
