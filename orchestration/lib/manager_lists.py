"""The managers' overdue lists: identified, restricted workbooks, one per team and service area.

Rows come from the **published snapshot's** exception tables (`kpi_exceptions_*`, Parquet under
`$CSCW_PUBLISH_DIR/current`), never from the live warehouse's KPI layer: publication already
applies the per-authority verdicts (an authority held back keeps its previously published rows),
so a list always equals what was published for the authority, with the same due dates as the
measures. Identities are restored here, in the writer, by joining in DuckDB to the restricted
schema of the warehouse (lib/ingest/restricted.py): the child's case-management id from
`restricted.key_map`, the worker's name from `restricted.direct_identifiers`. No model reads it.

<restricted_dir>/lists/<la_code>/<data date>/team_<team_id>.xlsx
<restricted_dir>/lists/<la_code>/<data date>/service_area_<service_area_id>.xlsx

Workbooks are written by openpyxl in write-only mode (rows streamed, fetched in batches), with a
frozen header, column widths, a table style, and dates as Excel dates; an `About` sheet says what
the list is, from which snapshot and run, and that it is identified.
"""

import os
import re
import shutil
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestration.lib.contract import load_contract
from orchestration.lib.ingest.restricted import SCHEMA as RESTRICTED
from orchestration.lib.publish import read_manifest
from orchestration.lib.sqltext import lit

EXCEPTION_TABLES = (
    "kpi_exceptions_*"  # every published exception list (child protection, looked after, ...)
)
LISTS_FOLDER = "lists"
BATCH_ROWS = (
    10_000  # rows fetched from DuckDB per batch: memory stays bounded whatever the list's size
)
DATE_FORMAT = "dd/mm/yyyy"
TABLE_STYLE = "TableStyleMedium2"
UNKNOWN_UNIT = "-1"  # dim_team's unknown member: no allocation, or a team not on record

# What the manager reads for each published item code (the rule column says the timescale).
ITEM_LABELS = {
    "cp_visit": "CP visit",
    "core_group": "Core group",
    "cp_review": "CP review conference",
    "cin_visit": "CIN visit",
    "cin_review": "CIN review",
    "cla_visit": "Looked-after visit",
    "cla_review": "Looked-after review",
    "return_interview": "Return interview",
}

# (heading, width): the workbook's columns, in order (the query below returns them in this order)
COLUMNS = [
    ("Status", 10),
    ("Working days overdue", 12),
    ("Due date", 12),
    ("Item", 22),
    ("Rule", 60),
    ("Last done", 12),
    ("Case-management id", 20),
    ("Allocated worker", 26),
    ("Team", 26),
]
DATE_COLUMNS = {2, 5}

IDENTIFIED = (
    "IDENTIFIED AND RESTRICTED: children's case-management ids and workers' names. "
    "For the team's managers only; do not forward, print or copy outside the case-management system."
)


class ListsError(Exception):
    """The lists cannot be written (nothing published for the authority, an unknown team, ...)."""


@dataclass
class Workbook:
    path: Path
    unit: str  # "team" or "service area"
    unit_id: str
    unit_name: str
    rows: int = 0
    overdue: int = 0


@dataclass
class ListsResult:
    la_code: str
    as_at_date: str
    folder: Path
    snapshot: Path
    run_id: str
    workbooks: list[Workbook] = field(default_factory=list)


def worker_name_columns() -> list[str]:
    """The contract's direct columns of a worker's own record whose names hold a name."""
    contract = load_contract()
    return sorted(
        {
            c.name
            for t in contract.values()
            for c in t.columns
            if c.is_direct_pii
            and "name" in c.name
            and any(k.primary_key and k.identifies == "professional" for k in t.columns)
        }
    )


def _exception_files(snapshot: Path) -> list[Path]:
    return sorted((snapshot / "parquet").glob(f"{EXCEPTION_TABLES}.parquet"))


def list_rows_sql(snapshot: Path, la_code: str, order_by_unit: str, team: str | None = None) -> str:
    """One row per published exception item of the authority, identities restored, in urgency
    order within each unit (`team` or `service_area`); the unit's id and name lead each row."""
    files = ", ".join(lit(p) for p in _exception_files(snapshot))
    labels = ", ".join(f"({lit(k)}, {lit(v)})" for k, v in ITEM_LABELS.items())
    names = ", ".join(lit(c) for c in worker_name_columns()) or "NULL"
    team_filter = f"AND e.team_id = {lit(team)}" if team is not None else ""
    return f"""
        WITH exceptions AS (
            SELECT * FROM read_parquet([{files}], union_by_name = true) AS e
            WHERE e.la_code = {lit(la_code)} {team_filter}
        ),
        teams AS (
            SELECT team_id, team_name, service_area_id, service_area_name
            FROM read_parquet({lit(snapshot / "parquet" / "dim_team.parquet")})
            WHERE la_code = {lit(la_code)}
        ),
        children AS (
            SELECT pseudonym, source_id FROM {RESTRICTED}.key_map
            WHERE la_code = {lit(la_code)} AND kind = 'person'
        ),
        workers AS (
            SELECT pseudonym, source_id FROM {RESTRICTED}.key_map
            WHERE la_code = {lit(la_code)} AND kind = 'professional'
        ),
        worker_names AS (
            -- one name per worker, whichever table delivered it (its latest line if repeated)
            SELECT pseudonym, arg_max(value, source_line) AS worker_name
            FROM {RESTRICTED}.direct_identifiers
            WHERE la_code = {lit(la_code)} AND kind = 'professional' AND column_name IN ({names})
            GROUP BY pseudonym
        ),
        labels(item, label) AS (VALUES {labels})
        SELECT
            CASE {lit(order_by_unit)} WHEN 'team' THEN e.team_id ELSE e.service_area_id END AS unit_id,
            CASE {lit(order_by_unit)} WHEN 'team' THEN coalesce(t.team_name, e.team_name)
                 ELSE coalesce(t.service_area_name, 'Unknown service area') END AS unit_name,
            CASE e.status WHEN 'due_soon' THEN 'due soon' ELSE e.status END AS status,
            e.working_days_overdue,
            e.due_date,
            coalesce(labels.label, e.item) AS item,
            e.rule,
            e.last_done_date,
            -- a pseudonym the key map does not know stays visible (and traceable), marked as such
            coalesce(children.source_id, 'not in key map: ' || e.child_key) AS case_management_id,
            CASE WHEN e.worker_key IS NULL THEN 'unallocated'
                 ELSE coalesce(worker_names.worker_name, workers.source_id, 'not in key map: ' || e.worker_key) END
                AS allocated_worker,
            coalesce(t.team_name, e.team_name) AS team_name
        FROM exceptions AS e
        LEFT JOIN teams AS t ON t.team_id = e.team_id
        LEFT JOIN children ON children.pseudonym = e.child_key
        LEFT JOIN workers ON workers.pseudonym = e.worker_key
        LEFT JOIN worker_names ON worker_names.pseudonym = e.worker_key
        LEFT JOIN labels ON labels.item = e.item
        ORDER BY unit_id, e.status = 'overdue' DESC, e.working_days_overdue DESC, e.due_date,
                 case_management_id, item
    """


def _file_part(unit_id: str) -> str:
    return "unknown" if unit_id == UNKNOWN_UNIT else re.sub(r"[^A-Za-z0-9_.-]", "_", unit_id)


class _Writer:
    """One write-only workbook: rows appended as they are fetched, the table added at the end."""

    def __init__(self, book: Workbook, about: list[tuple[str, object]]):
        from openpyxl import Workbook as XlsxWorkbook

        self.book = book
        self.about = about
        self.wb = XlsxWorkbook(write_only=True)
        self.ws = self.wb.create_sheet("Overdue and due soon")
        self.ws.freeze_panes = "A2"
        for i, (_, width) in enumerate(COLUMNS):
            self.ws.column_dimensions[_letter(i)].width = width
        self.ws.append([heading for heading, _ in COLUMNS])

    def append(self, values) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = list(values)
        for i in DATE_COLUMNS:  # only dates need a cell object (their number format)
            if cells[i] is not None:
                cells[i] = WriteOnlyCell(self.ws, value=cells[i])
                cells[i].number_format = DATE_FORMAT
        self.ws.append(cells)
        self.book.rows += 1
        self.book.overdue += values[0] == "overdue"

    def close(self) -> None:
        from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

        # a table needs a data row: an empty list gets one empty row under its header
        last_row = max(self.book.rows, 1) + 1
        table = Table(displayName="OverdueList", ref=f"A1:{_letter(len(COLUMNS) - 1)}{last_row}")
        table.tableColumns = [
            TableColumn(id=i + 1, name=heading) for i, (heading, _) in enumerate(COLUMNS)
        ]
        table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
        with warnings.catch_warnings():  # the columns are set above, as write-only mode asks
            warnings.simplefilter("ignore", UserWarning)
            self.ws.add_table(table)
        about = self.wb.create_sheet("About")
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 100
        for row in [
            ("", IDENTIFIED),
            *self.about,
            (self.book.unit.capitalize(), f"{self.book.unit_name} ({self.book.unit_id})"),
            ("Items", self.book.rows),
            ("Overdue", self.book.overdue),
            ("Due soon", self.book.rows - self.book.overdue),
        ]:
            about.append(list(row))
        self.book.path.parent.mkdir(parents=True, exist_ok=True)
        self.wb.save(self.book.path)
        self.book.path.chmod(0o600)  # identified: the pipeline's account only


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _write_units(
    con, sql: str, folder: Path, unit: str, about: list, only: tuple[str, str] | None = None
) -> list[Workbook]:
    """Stream the query's rows (ordered by unit) into one workbook per unit; `only` = (id, name)
    writes that unit's workbook even when it has nothing overdue or due soon."""
    books, writer = [], None
    prefix = unit.replace(" ", "_")

    def start(unit_id: str, unit_name: str) -> _Writer:
        book = Workbook(folder / f"{prefix}_{_file_part(unit_id)}.xlsx", unit, unit_id, unit_name)
        books.append(book)
        return _Writer(book, about)

    cursor = con.execute(sql)
    while batch := cursor.fetchmany(BATCH_ROWS):
        for unit_id, unit_name, *values in batch:
            if writer is None or writer.book.unit_id != unit_id:
                if writer is not None:
                    writer.close()
                writer = start(unit_id, unit_name)
            writer.append(values)
    if writer is None and only is not None:
        writer = start(*only)
    if writer is not None:
        writer.close()
    return books


def write_lists(
    con, snapshot: Path, restricted_dir: Path, la_code: str, team: str | None = None
) -> ListsResult:
    """Write the authority's lists from the published `snapshot` (every team and service area,
    or one team's workbook only). `con` is a connection to the warehouse (the restricted schema)."""
    if not _exception_files(snapshot):
        raise ListsError(
            f"the published snapshot {snapshot} has no exception tables ({EXCEPTION_TABLES}): "
            "detail tables are not published (CSCW_PUBLISH_DETAIL=false?)"
        )
    dates = con.execute(
        f"""SELECT DISTINCT CAST(as_at_date AS VARCHAR) FROM read_parquet({lit(snapshot / "parquet" / "dim_authority.parquet")})
            WHERE la_code = ?""",
        [la_code],
    ).fetchall()
    if not dates:
        raise ListsError(
            f"authority {la_code} is not in the published snapshot {snapshot.name}: nothing published for it"
        )
    as_at_date = dates[0][0]
    unit_name = None
    if team is not None:
        found = con.execute(
            f"SELECT team_name FROM read_parquet({lit(snapshot / 'parquet' / 'dim_team.parquet')}) "
            "WHERE la_code = ? AND team_id = ?",
            [la_code, team],
        ).fetchall()
        if not found:
            raise ListsError(f"authority {la_code} has no team {team!r} in the published snapshot")
        unit_name = found[0][0]
    run_id = read_manifest(snapshot).get("run_id", "")
    about = [
        ("Authority", la_code),
        ("Data date", as_at_date),
        ("Published snapshot", snapshot.name),
        ("Run id", run_id),
        ("Written at", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Source",
            "the published exception lists (kpi_exceptions_*): same rules and due dates as the measures",
        ),
    ]
    (restricted_dir / LISTS_FOLDER).mkdir(
        mode=0o700, parents=True, exist_ok=True
    )  # identified: owner only
    final = restricted_dir / LISTS_FOLDER / la_code / as_at_date
    result = ListsResult(la_code, as_at_date, final, snapshot, run_id)
    if team is not None:  # one team's workbook, replacing that file only
        work = final.with_name(f".{as_at_date}.{os.getpid()}.partial")
        books = _write_units(
            con,
            list_rows_sql(snapshot, la_code, "team", team),
            work,
            "team",
            about,
            only=(team, unit_name),
        )
        final.mkdir(parents=True, exist_ok=True)
        for book in books:
            target = final / book.path.name
            os.replace(book.path, target)
            book.path = target
        shutil.rmtree(work, ignore_errors=True)
        result.workbooks = books
        return result
    # every team and service area: written aside, then swapped in whole (no stale team's file stays)
    work = final.with_name(f".{as_at_date}.partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    books = _write_units(con, list_rows_sql(snapshot, la_code, "team"), work, "team", about)
    books += _write_units(
        con, list_rows_sql(snapshot, la_code, "service_area"), work, "service area", about
    )
    old = final.with_name(f".{as_at_date}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    work.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    for book in books:
        book.path = final / book.path.name
    result.workbooks = books
    return result


def published_authorities(snapshot: Path, con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT la_code FROM read_parquet({lit(snapshot / 'parquet' / 'dim_authority.parquet')}) "
            "ORDER BY la_code"
        ).fetchall()
    ]
