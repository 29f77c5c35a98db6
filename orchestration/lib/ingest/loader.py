"""Load a landing area into the raw layer: contract enforcement, quarantine, provenance.

Per authority, in one DuckDB transaction (so a crash at any point leaves the previous state):
1. every table's newest readable file is parsed as text by DuckDB's CSV reader and typed with the
   contract's rules; row-level failures (required, type, code, primary key) are collected;
2. foreign keys are checked against the parents' rows that passed (same authority);
3. the authority's rows in `raw.<table>` are replaced, failures go to `raw_meta.quarantine`, and
   `raw_meta.load_log` records every file read with rows read = loaded + quarantined.
An authority whose files have not changed since its last load is skipped (no work).
A file that cannot be read fails that table; the previous current version stays.
"""

import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from orchestration.lib.contract import Table, load_contract, load_order
from orchestration.lib.ingest.files import inspect_file, transcode_to_utf8
from orchestration.lib.ingest.landing import LandingFile, LandingScan, scan_landing
from orchestration.lib.ingest.sql import ERROR_LIST, META_COLUMNS, lit, q, raw_table_ddl, staged_select

RAW = "raw"
META = "raw_meta"

META_DDL = [
    f"CREATE SCHEMA IF NOT EXISTS {RAW}",
    f"CREATE SCHEMA IF NOT EXISTS {META}",
    f"""CREATE TABLE IF NOT EXISTS {META}.load_log (
        run_id VARCHAR, la_code VARCHAR, table_name VARCHAR, extract_date DATE, source_file VARCHAR,
        file_sha256 VARCHAR, file_bytes BIGINT, encoding VARCHAR, status VARCHAR, message VARCHAR,
        rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
        loaded_at TIMESTAMP, seconds DOUBLE)""",
    f"""CREATE TABLE IF NOT EXISTS {META}.quarantine (
        la_code VARCHAR, extract_date DATE, table_name VARCHAR, source_file VARCHAR, line BIGINT,
        column_name VARCHAR, reason VARCHAR, value VARCHAR, run_id VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {META}.current_versions (
        la_code VARCHAR, table_name VARCHAR, extract_date DATE, source_file VARCHAR,
        file_sha256 VARCHAR, rows_loaded BIGINT, run_id VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {META}.authority_state (
        la_code VARCHAR PRIMARY KEY, fingerprint VARCHAR, run_id VARCHAR, loaded_at TIMESTAMP)""",
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
            t = out.setdefault(r.file.table, {"files": 0, "rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0})
            t["files"] += 1
            t["rows_read"] += r.rows_read
            t["rows_loaded"] += r.rows_loaded
            t["rows_quarantined"] += r.rows_quarantined
        return out


def ensure_meta(con) -> None:
    for ddl in META_DDL:
        con.execute(ddl)
    for table in load_contract().values():
        con.execute(raw_table_ddl(RAW, table))


def fingerprint(candidates: dict[str, list[LandingFile]]) -> str:
    """Changes whenever any file of the authority is added, removed, resized or touched."""
    h = hashlib.sha256()
    for table in sorted(candidates):
        for f in candidates[table]:
            h.update(f"{table}|{f.extract_date}|{f.path.name}|{f.size}|{f.mtime_ns}\n".encode())
    return h.hexdigest()


def load_landing(con, landing: Path, run_id: str, log=print) -> LoadReport:
    """Load every authority in the landing area whose files changed since their last load."""
    ensure_meta(con)
    scan: LandingScan = scan_landing(landing)
    report = LoadReport(run_id, ignored_paths=list(scan.ignored))
    for path in scan.ignored:
        log(f"ignored: {path}")
    state = dict(con.execute(f"SELECT la_code, fingerprint FROM {META}.authority_state").fetchall())
    for la_code in scan.authorities():
        candidates = scan.candidates(la_code)
        fp = fingerprint(candidates)
        if state.get(la_code) == fp:
            report.skipped_authorities.append(la_code)
            log(f"{la_code}: no new or changed files, nothing to do")
            continue
        _load_authority(con, landing, la_code, candidates, fp, run_id, report, log)
        report.loaded_authorities.append(la_code)
    return report


def _load_authority(con, landing, la_code, candidates, fp, run_id, report: LoadReport, log) -> None:
    contract = load_contract()
    tables = [t for t in load_order(contract) if t in candidates]
    tables += sorted(t for t in candidates if t not in contract and t.startswith("ssd_"))
    for t in sorted(set(candidates) - set(tables)):
        report.ignored_paths.append(f"{la_code}: {t} is not in the contract and not an ssd_* table")
    staged: dict[str, FileResult] = {}
    with tempfile.TemporaryDirectory(prefix="cscw-ingest-") as tmp:
        for table in tables:
            for f in candidates[table]:  # newest first; an unreadable drop falls back to the previous
                result = FileResult(f, f.relative(landing))
                started = time.perf_counter()
                try:
                    _stage_file(con, f, table, contract.get(table), result, Path(tmp))
                except FileError as e:
                    result.status, result.message = "failed", str(e)
                    result.seconds = time.perf_counter() - started
                    report.failed.append(result)
                    log(f"FAILED {result.source_file}: {e}")
                    continue
                result.seconds = time.perf_counter() - started
                staged[table] = result
                break
        _resolve_foreign_keys(con, contract, la_code, staged)
        con.execute("BEGIN TRANSACTION")
        try:
            for table, result in staged.items():
                _publish_raw(con, table, contract.get(table), la_code, result, run_id)
            _write_log(con, la_code, run_id, list(staged.values()) + [r for r in report.failed if r.file.la_code == la_code])
            con.execute(
                f"INSERT OR REPLACE INTO {META}.authority_state VALUES (?, ?, ?, ?)",
                [la_code, fp, run_id, _now()],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            for table in staged:
                con.execute(f"DROP TABLE IF EXISTS {_stage(table)}; DROP TABLE IF EXISTS {_rejects(table)}")
    for result in staged.values():
        report.loaded.append(result)
        log(
            f"{result.source_file}: read {result.rows_read}, loaded {result.rows_loaded}, "
            f"quarantined {result.rows_quarantined}"
        )


def _stage(table: str) -> str:
    return q(f"_stage_{table}")


def _rejects(table: str) -> str:
    return q(f"_rejects_{table}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _stage_file(con, f: LandingFile, table: str, spec: Table | None, result: FileResult, tmp: Path) -> None:
    """Parse one file into a typed temp table `_stage_<table>` with row-level errors."""
    if f.size == 0:
        raise FileError(f"{result.source_file}: empty file (0 bytes)")
    facts = inspect_file(f.path, is_text=f.format == "csv")
    result.sha256, result.encoding = facts.sha256, facts.encoding
    if facts.problem:
        raise FileError(f"{result.source_file}: {facts.problem}")
    path = f.path
    if facts.encoding == "windows-1252":
        path = transcode_to_utf8(f.path, tmp / f"{table}.csv")
    con.execute("DROP TABLE IF EXISTS _text; DROP TABLE IF EXISTS _rejects; DROP TABLE IF EXISTS _reject_scans")
    try:
        if f.format == "csv":
            con.execute(
                f"""CREATE TEMP TABLE _text AS SELECT * FROM read_csv({lit(str(path))},
                    all_varchar = true, header = true, delim = ',', quote = '"', escape = '"',
                    store_rejects = true, rejects_table = '_rejects', rejects_scan = '_reject_scans')"""
            )
        else:
            con.execute(f"CREATE TEMP TABLE _text AS SELECT COLUMNS(*)::VARCHAR FROM read_parquet({lit(str(path))})")
            con.execute("CREATE TEMP TABLE _rejects (line BIGINT, column_name VARCHAR, error_type VARCHAR, csv_line VARCHAR, error_message VARCHAR)")
    except Exception as e:  # noqa: BLE001 - DuckDB raises several types; all mean "unreadable"
        raise FileError(f"{result.source_file}: cannot be read as {f.format.upper()}: {str(e).splitlines()[0]}") from e
    names = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE _text)").fetchall()]
    lowered = [n.strip().lower() for n in names]
    dupes = sorted({n for n in lowered if lowered.count(n) > 1})
    if dupes:
        raise FileError(f"{result.source_file}: column(s) appear twice in the header: {', '.join(dupes)}")
    accepted = con.execute("SELECT count(*) FROM _text").fetchall()[0][0]
    rejected = con.execute("SELECT count(DISTINCT line) FROM _rejects").fetchall()[0][0]
    if accepted + rejected == 0:
        raise FileError(f"{result.source_file}: header only, no rows")
    present = dict(zip(lowered, names))
    if spec is None:  # an ssd_* table outside the contract: loaded as delivered, all text
        cols = ", ".join(f"{q(orig)} AS {q(low)}" for low, orig in present.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_stage(table)} AS SELECT rowid + 1 AS _record, rowid + 2 AS _line, {cols}, "
                    f"CAST(NULL AS VARCHAR) AS _extras, 0 AS _newlines, CAST([] AS {ERROR_LIST}) AS _errors FROM _text")
    else:
        missing = [c.name for c in spec.columns if c.required and c.name not in present]
        if missing:
            raise FileError(f"{result.source_file}: required column(s) missing from the header: {', '.join(missing)}")
        contract_cols = {c.name for c in spec.columns}
        extras = [present[n] for n in lowered if n not in contract_cols]
        mapping = {n: present[n] for n in contract_cols if n in present}
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_stage(table)} AS {staged_select(spec, mapping, extras, '_text')}")
        _check_primary_key(con, spec)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {_rejects(table)} AS
            SELECT line, line AS physical_line, any_value(column_name) AS column_name,
                   any_value(error_type) AS error_type, any_value(csv_line) AS csv_line,
                   string_agg(error_message, '; ') AS error_message
            FROM _rejects GROUP BY line"""
    )
    result.rows_read = accepted + rejected
    con.execute("DROP TABLE IF EXISTS _text; DROP TABLE IF EXISTS _rejects")
    newlines = con.execute(f"SELECT coalesce(sum(_newlines), 0) FROM {_stage(table)}").fetchone()[0]
    if rejected or newlines or facts.blank_lines:  # otherwise record n is on line n + 1, as staged
        _number_lines(con, table, path, f.format, accepted + rejected)


def _number_lines(con, table: str, path: Path, fmt: str, records: int) -> None:
    """Physical line of every record, parsed or rejected (header = line 1), for files where it is
    not simply record + 1: rejected rows, line breaks inside quoted values, empty lines.

    DuckDB drops empty lines and does not say where a parsed record was; its rejected rows carry a
    line number that counts empty lines but not line breaks inside quotes. So the file is read
    once more as plain lines: a line starts a record when an even number of quote characters
    precede it and it is not empty; empty lines outside quotes are counted as DuckDB counts them.
    """
    if fmt != "csv":
        return
    stage, rejects = _stage(table), _rejects(table)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _phys AS SELECT l FROM read_csv({lit(str(path))}, header = false,
              columns = {{'l': 'VARCHAR'}}, delim = '\x01\x02\x03', quote = '', escape = '', strict_mode = false)"""
    )
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
        con.execute(f"UPDATE {rejects} SET physical_line = s.p FROM _starts s WHERE s.start AND s.duck_line = {rejects}.line")
        con.execute(
            f"""UPDATE {stage} SET _line = a.p FROM (
                  SELECT p, row_number() OVER (ORDER BY p) AS k FROM _starts s
                  WHERE start AND NOT EXISTS (SELECT 1 FROM {rejects} r WHERE r.line = s.duck_line)) a
                WHERE {stage}._record = a.k"""
        )
    else:  # quote characters inside unquoted values: count from the parse (exact without empty lines)
        _number_lines_from_parse(con, table)
    con.execute("DROP TABLE IF EXISTS _phys; DROP TABLE IF EXISTS _starts")


def _number_lines_from_parse(con, table: str) -> None:
    """Reject m (DuckDB line r_m) follows r_m - 1 - m parsed records; every record adds its
    quoted line breaks to the lines of the records after it."""
    stage, rejects = _stage(table), _rejects(table)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {rejects} AS
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


def _check_primary_key(con, spec: Table) -> None:
    pk = spec.primary_key
    if not pk:
        return
    stage = _stage(spec.name)
    keys = ", ".join(q(c) for c in pk)
    label = "+".join(pk)
    con.execute(
        f"""UPDATE {stage} SET _errors = list_append(_errors, {{'column': {lit(pk[0])},
              'reason': 'duplicate primary key ' || {lit(label)} || ' (' || d.n || ' rows share it)',
              'value': concat_ws('|', {', '.join(f'd.{q(c)}' for c in pk)})}})
            FROM (SELECT {keys}, count(*) AS n FROM {stage}
                  WHERE {' AND '.join(f'{q(c)} IS NOT NULL' for c in pk)}
                  GROUP BY ALL HAVING count(*) > 1) d
            WHERE {' AND '.join(f'{stage}.{q(c)} = d.{q(c)}' for c in pk)}"""
    )


def _resolve_foreign_keys(con, contract: dict[str, Table], la_code: str, staged: dict[str, FileResult]) -> None:
    """Check foreign keys until nothing changes: a row whose parent row is quarantined (for its own
    foreign key, a self-reference or a cycle) is quarantined too, so every loaded key resolves."""
    tables = [t for t in staged if t in contract]
    parents_changed = None  # first pass: every foreign key
    while True:
        changed = {t for t in tables if _check_foreign_keys(con, contract[t], la_code, staged, parents_changed)}
        if not changed:
            return
        parents_changed = changed


def _check_foreign_keys(con, spec: Table, la_code: str, staged: dict[str, FileResult],
                        parents: set[str] | None = None) -> int:
    """Orphan foreign keys are quarantined; parents are this load's rows that passed row checks,
    or the authority's current raw rows when the parent was not delivered in this load.
    `parents`: only the foreign keys into these tables (None = all). Returns rows newly flagged."""
    stage = _stage(spec.name)
    flagged = 0
    for col in spec.foreign_keys:
        fk = col.foreign_key
        if parents is not None and fk.table not in parents:
            continue
        if fk.table in staged:
            parent = f"SELECT {q(fk.column)} AS k FROM {_stage(fk.table)} WHERE len(_errors) = 0"
            where = ""
        else:
            parent = f"SELECT {q(fk.column)} AS k FROM {RAW}.{q(fk.table)} WHERE la_code = {lit(la_code)}"
            where = " (the parent table has no current version for this authority)" if not _has_rows(con, fk.table, la_code) else ""
        reason = lit(f"foreign key not found in {fk.table}.{fk.column}{where}")
        value = "NULL" if col.pii else f"{stage}.{q(col.name)}"
        flagged += con.execute(
            f"""UPDATE {stage} SET _errors = list_append(_errors, {{'column': {lit(col.name)}, 'reason': {reason},
                  'value': CAST({value} AS VARCHAR)}})
                WHERE {q(col.name)} IS NOT NULL
                  AND NOT list_contains(list_transform(_errors, lambda e: e."column"), {lit(col.name)})
                  AND NOT EXISTS (SELECT 1 FROM ({parent}) p WHERE p.k = {stage}.{q(col.name)})"""
        ).fetchone()[0]
    return flagged


def _has_rows(con, table: str, la_code: str) -> bool:
    return bool(con.execute(f"SELECT count(*) FROM {RAW}.{q(table)} WHERE la_code = ?", [la_code]).fetchall()[0][0])


def _publish_raw(con, table: str, spec: Table | None, la_code: str, result: FileResult, run_id: str) -> None:
    stage = _stage(table)
    f = result.file
    if spec is None:
        _ensure_text_table(con, table)
    cols = [c.name for c in spec.columns] if spec else [
        r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {stage})").fetchall()
        if not r[0].startswith("_")]
    con.execute(f"DELETE FROM {RAW}.{q(table)} WHERE la_code = ?", [la_code])
    insert_cols = ", ".join(q(c) for c in cols)
    con.execute(
        f"""INSERT INTO {RAW}.{q(table)} BY NAME
            SELECT {insert_cols}, {lit(la_code)} AS la_code, DATE {lit(str(f.extract_date))} AS extract_date,
                   {lit(result.source_file)} AS source_file, _line AS source_line, _extras
            FROM {stage} WHERE len(_errors) = 0 ORDER BY _record"""
    )
    con.execute(f"DELETE FROM {META}.quarantine WHERE la_code = ? AND table_name = ?", [la_code, table])
    con.execute(
        f"""INSERT INTO {META}.quarantine
            SELECT {lit(la_code)}, DATE {lit(str(f.extract_date))}, {lit(table)}, {lit(result.source_file)},
                   _line, e."column", e.reason, e.value, {lit(run_id)}
            FROM (SELECT _line, unnest(_errors) AS e FROM {stage} WHERE len(_errors) > 0)
            UNION ALL
            SELECT {lit(la_code)}, DATE {lit(str(f.extract_date))}, {lit(table)}, {lit(result.source_file)},
                   physical_line, column_name, 'malformed CSV row: ' || error_type || ': ' || error_message, NULL, {lit(run_id)}
            FROM {_rejects(table)}"""
    )
    loaded, bad = con.execute(
        f"SELECT count(*) FILTER (WHERE len(_errors) = 0), count(*) FILTER (WHERE len(_errors) > 0) FROM {stage}"
    ).fetchall()[0]
    rejected = con.execute(f"SELECT count(*) FROM {_rejects(table)}").fetchall()[0][0]
    result.rows_loaded, result.rows_quarantined = loaded, bad + rejected
    if result.rows_read != result.rows_loaded + result.rows_quarantined:
        raise RuntimeError(
            f"{result.source_file}: row accounting does not add up: read {result.rows_read}, "
            f"loaded {result.rows_loaded}, quarantined {result.rows_quarantined}"
        )
    con.execute(f"DELETE FROM {META}.current_versions WHERE la_code = ? AND table_name = ?", [la_code, table])
    con.execute(
        f"INSERT INTO {META}.current_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
        [la_code, table, f.extract_date, result.source_file, result.sha256, loaded, run_id],
    )


def _ensure_text_table(con, table: str) -> None:
    """A non-contract ssd_* table: all text, columns added as new ones arrive."""
    stage = _stage(table)
    cols = [r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {stage})").fetchall() if not r[0].startswith("_")]
    meta = ", ".join(f"{q(n)} {t}" for n, t in META_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS {RAW}.{q(table)} ({meta})")
    for c in cols:
        con.execute(f"ALTER TABLE {RAW}.{q(table)} ADD COLUMN IF NOT EXISTS {q(c)} VARCHAR")


def _write_log(con, la_code: str, run_id: str, results: list[FileResult]) -> None:
    for r in results:
        con.execute(
            f"INSERT INTO {META}.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, la_code, r.file.table, r.file.extract_date, r.source_file, r.sha256, r.file.size,
             r.encoding, r.status, r.message, r.rows_read, r.rows_loaded, r.rows_quarantined, _now(), r.seconds],
        )
