"""Ofsted Annex A (ILACS, January 2024 layout): the workbook writer and its checker.

The rows and every derived column come from the views of `models/restricted_outputs/annex_a`
(pseudonymous keys only, schema `restricted_outputs`). Identities are restored here, in one
DuckDB join to the restricted key map, and only when asked: the workbook is personal data with
the council's own child ids and workers' names, written under `settings.restricted_dir` and
never into the BI snapshot or PostgreSQL (docs/privacy.md, docs/annex_a.md).

Layout (sheet `List N`, headings in order, type and whether a cell is required, the header
variants a council's own workbook may use, the category set of a coded column) is
`contract/annex_a_layout.csv`; the allowed values of each set (the category codes of the published
Annex A schema and their name variants) are read from that schema where the council keeps it
(CSCW_ANNEX_A_SCHEMA, lib/annex_a_schema.py); the lists, their models and default windows are
`contract/annex_a_lists.csv`.
"""

import csv
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

CONTRACT_DIR = Path(__file__).resolve().parents[1] / "contract"
LAYOUT_CSV = CONTRACT_DIR / "annex_a_layout.csv"
LISTS_CSV = CONTRACT_DIR / "annex_a_lists.csv"
VIEW_SCHEMA = "restricted_outputs"
COVER_SHEET = "Cover"
BATCH_ROWS = (
    10_000  # rows fetched from DuckDB at a time: memory stays bounded whatever the list size
)
DATE_FORMAT = "dd/mm/yyyy"
# Column widths: enough for a date or a short code; long headings wrap in the header row.
WIDTHS = {"date": 12, "integer": 10, "number": 8, "id": 18, "code": 24, "text": 28}
# Columns the contract has no source for: written blank, named on the cover sheet.
NO_SOURCE = {
    (6, "closure_reason"): "the contract holds no CIN closure reason",
    (8, "permanence_plan"): "the contract holds no permanence plan",
    (8, "last_health_assessment_date"): "the contract holds no health assessments",
    (8, "last_dental_check_date"): "the contract holds no dental checks",
    (8, "placement_postcode"): "placement postcodes are not kept (privacy.md)",
    (8, "placement_urn"): "the contract holds no placement URN",
    (8, "placement_location"): "the contract holds no placement location",
    (8, "placement_la"): "the contract holds no placement authority",
    (10, "family_id"): "the contract holds no sibling-group identifier",
}


@dataclass(frozen=True)
class Column:
    heading: str
    column: str
    type: str  # id, code, text, date, integer, number
    required: bool
    header_regex: str
    categories: str = ""  # the schema's category set a coded cell must be in (named in findings)


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    model: str
    window_months: int
    not_filled_because: str

    @property
    def sheet(self) -> str:
        return f"List {self.number}"


def load_layout() -> dict[int, list[Column]]:
    layout: dict[int, list[Column]] = {}
    with LAYOUT_CSV.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            layout.setdefault(int(row["list"]), []).append(
                Column(
                    row["heading"],
                    row["column"],
                    row["type"],
                    row["required"] == "true",
                    row["header_regex"],
                    row.get("categories") or "",
                )
            )
    return layout


def load_categories(schema: Path | None = None) -> dict[tuple[int, str], frozenset[str]] | None:
    """The allowed values of each coded column, (list, heading) -> normalised values (every
    category's code and name variants), from the published schema (`schema`, else the setting
    CSCW_ANNEX_A_SCHEMA); None when no schema is configured."""
    from orchestration.lib.annex_a_schema import allowed_values
    from orchestration.lib.settings import load_settings

    schema = schema or load_settings().annex_a_schema
    if schema is None:
        return None
    coded = [
        (number, c.heading, c.header_regex)
        for number, cols in load_layout().items()
        for c in cols
        if c.categories
    ]
    return allowed_values(schema, coded, _normalise)


def load_lists() -> list[AnnexList]:
    with LISTS_CSV.open(newline="", encoding="utf-8") as f:
        return [
            AnnexList(
                int(r["list"]),
                r["title"],
                r["model"],
                int(r["window_months"]),
                r["not_filled_because"],
            )
            for r in csv.DictReader(f)
        ]


def months_before(day: date, months: int) -> date:
    """The day after the same day `months` earlier: a window of whole months ending on `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last)) + timedelta(days=1)


def data_date(con, la_code: str) -> date | None:
    row = con.execute(
        "SELECT as_at_date FROM conformed.dim_authority WHERE la_code = ?", [la_code]
    ).fetchone()
    return row[0] if row else None


# --- writer ----------------------------------------------------------------------------------


def _select_sql(annex: AnnexList, columns: list[Column], pseudonymised: bool) -> str:
    """One list's rows in the window, identities restored (or pseudonyms kept), in sheet order."""
    exprs = []
    for col in columns:
        if col.column == "child_id":
            exprs.append("v.child_key" if pseudonymised else "child_ids.source_id")
        elif col.column in ("allocated_worker", "personal_adviser"):
            key = (
                "allocated_worker_key"
                if col.column == "allocated_worker"
                else "personal_adviser_key"
            )
            alias = "worker" if col.column == "allocated_worker" else "adviser"
            names = f"{alias}_names.value, " if alias == "worker" else ""
            if pseudonymised:
                exprs.append(f"coalesce(v.{key}, 'Unallocated')")
            else:
                exprs.append(
                    f"coalesce({names}{alias}_ids.source_id, case when v.{key} is null then 'Unallocated' else 'Unknown' end)"
                )
        elif col.column == "date_of_birth" and pseudonymised:
            exprs.append("v.month_of_birth")  # rehearsal copies carry the month of birth only
        elif (annex.number, col.column) in NO_SOURCE:
            exprs.append("NULL")
        else:
            exprs.append(f"v.{col.column}")
    joins = ""
    if not pseudonymised:
        joins = """
        LEFT JOIN restricted.key_map AS child_ids
            ON child_ids.la_code = v.la_code AND child_ids.kind = 'person' AND child_ids.pseudonym = v.child_key"""
        if any(c.column == "allocated_worker" for c in columns):
            joins += """
        LEFT JOIN restricted.key_map AS worker_ids
            ON worker_ids.la_code = v.la_code AND worker_ids.kind = 'professional'
           AND worker_ids.pseudonym = v.allocated_worker_key
        LEFT JOIN (SELECT la_code, pseudonym, min(value) AS value FROM restricted.direct_identifiers
                   WHERE kind = 'professional' AND column_name = 'prof_professional_name' GROUP BY ALL) AS worker_names
            ON worker_names.la_code = v.la_code AND worker_names.pseudonym = v.allocated_worker_key"""
        if any(c.column == "personal_adviser" for c in columns):
            # The personal adviser as the extract records them (a name or an id): no names table.
            joins += """
        LEFT JOIN restricted.key_map AS adviser_ids
            ON adviser_ids.la_code = v.la_code AND adviser_ids.kind = 'personal_adviser'
           AND adviser_ids.pseudonym = v.personal_adviser_key"""
    return f"""
        SELECT {", ".join(exprs)}
        FROM {VIEW_SCHEMA}.{annex.model} AS v {joins}
        WHERE v.la_code = $la_code
          AND v.window_from <= $window_to
          AND coalesce(v.window_to, $window_to) >= $window_from
        ORDER BY v.window_from, v.row_key"""


@dataclass
class ListResult:
    number: int
    rows: int
    not_filled_because: str = ""


def write_workbook(
    con,
    la_code: str,
    out: Path,
    window_from: date | None,
    window_to: date | None,
    run_id: str,
    pseudonymised: bool = False,
) -> list[ListResult]:
    """Write the workbook: a cover sheet, then `List 1`..`List 11` streamed in batches."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    layout, lists = load_layout(), load_lists()
    as_at = data_date(con, la_code)
    if as_at is None:
        raise ValueError(f"authority {la_code} is not in the warehouse")
    wb = Workbook(write_only=True)
    cover = wb.create_sheet(COVER_SHEET)
    cover.column_dimensions["A"].width = 45
    cover.column_dimensions["B"].width = 30
    results: list[ListResult] = []
    windows: dict[int, tuple[date, date]] = {}
    for annex in lists:
        start = window_from or months_before(window_to or as_at, annex.window_months)
        windows[annex.number] = (start, window_to or as_at)
    for annex in lists:
        columns = layout[annex.number]
        ws = wb.create_sheet(annex.sheet)
        for i, col in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = WIDTHS[col.type]
        ws.freeze_panes = "A2"
        header = []
        for col in columns:
            cell = WriteOnlyCell(ws, value=col.heading)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        ws.append(header)
        count = 0
        if annex.model:
            start, end = windows[annex.number]
            cur = con.execute(
                _select_sql(annex, columns, pseudonymised),
                {"la_code": la_code, "window_from": start, "window_to": end},
            )
            date_columns = [c.type == "date" for c in columns]
            while batch := cur.fetchmany(BATCH_ROWS):
                for values in batch:
                    row = []
                    for value, is_date in zip(values, date_columns):
                        if is_date and value is not None:
                            cell = WriteOnlyCell(ws, value=value)
                            cell.number_format = DATE_FORMAT
                            row.append(cell)
                        else:
                            row.append(value)
                    ws.append(row)
                count += len(batch)
        if count:
            table = Table(
                displayName=f"List{annex.number}",
                ref=f"A1:{get_column_letter(len(columns))}{count + 1}",
            )
            table._initialise_columns()  # write-only mode: the table's columns are named by hand
            for table_column, col in zip(table.tableColumns, columns):
                table_column.name = col.heading
            table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
            with (
                warnings.catch_warnings()
            ):  # openpyxl warns in write-only mode even when columns are named
                warnings.filterwarnings(
                    "ignore", "In write-only mode you must add table columns manually"
                )
                ws.add_table(table)
        results.append(ListResult(annex.number, count, annex.not_filled_because))
    for row in _cover_rows(la_code, as_at, windows, run_id, pseudonymised, results, lists, layout):
        cells = []
        for value in row:
            if isinstance(value, date):
                value = WriteOnlyCell(cover, value=value)
                value.number_format = DATE_FORMAT
            cells.append(value)
        cover.append(cells)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return results


def _cover_rows(la_code, as_at, windows, run_id, pseudonymised, results, lists, layout):
    titles = {a.number: a.title for a in lists}
    yield ["Ofsted Annex A (ILACS), January 2024 layout"]
    yield ["Local authority", la_code]
    yield ["Data date (latest extract in the warehouse)", as_at]
    yield ["Run id", run_id]
    yield [
        "Identifiers",
        "keyed pseudonyms (rehearsal copy)"
        if pseudonymised
        else "the council's own case-management ids: restricted, personal data",
    ]
    yield []
    yield ["List", "Title", "Window from", "Window to", "Rows", "Not filled because"]
    for r in results:
        start, end = windows[r.number]
        yield [f"List {r.number}", titles[r.number], start, end, r.rows, r.not_filled_because]
    yield []
    yield ["Columns written blank", "Why"]
    for (number, column), why in NO_SOURCE.items():
        heading = next(c.heading for c in layout[number] if c.column == column)
        yield [f"List {number}: {heading}", why]


# --- checker ---------------------------------------------------------------------------------


def _normalise(text) -> str:
    text = str(text or "").replace("\u2018", "'").replace("\u2019", "'").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def heading_matches(col: Column, found) -> bool:
    """The January 2024 heading (ignoring case, spacing and curly quotes) or a schema variant."""
    if _normalise(found) == _normalise(col.heading):
        return True
    return (
        bool(col.header_regex)
        and re.search(col.header_regex, _normalise(found), re.IGNORECASE) is not None
    )


def _type_ok(kind: str, value) -> bool:
    if kind == "date":
        return isinstance(value, (datetime, date))
    if kind == "integer":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            or (isinstance(value, float) and value.is_integer())
        )
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "id":
        return isinstance(value, (str, int)) and not isinstance(value, bool)
    if kind == "code":
        return isinstance(value, str) and not value.startswith("=")
    return isinstance(value, (str, int, float)) and not (
        isinstance(value, str) and value.startswith("=")
    )


def _describe(value) -> str:
    if isinstance(value, str) and value.startswith("="):
        return f"a formula {value!r}"
    return f"{type(value).__name__} {value!r}"


def check_workbook(path: Path, max_per_column: int = 1, schema: Path | None = None) -> list[str]:
    """Findings, each naming sheet, row or heading and what differs; empty when the workbook
    matches the layout. Repeated findings of one column are summarised after the first. Coded
    cells are checked against the published schema's categories when one is configured
    (load_categories); without it, sheets, headings, types and required cells only."""
    from openpyxl import load_workbook

    layout, categories = load_layout(), load_categories(schema) or {}
    findings: list[str] = []
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        for number, columns in layout.items():
            sheet = f"List {number}"
            if sheet not in wb.sheetnames:
                findings.append(f"{sheet}: sheet missing")
                continue
            rows = wb[sheet].iter_rows(values_only=True)
            header = list(next(rows, ()) or ())
            while header and header[-1] is None:
                header.pop()
            matched: list[tuple[int, Column]] = []
            for i, col in enumerate(columns):
                found = header[i] if i < len(header) else None
                if found is None:
                    findings.append(
                        f"{sheet}: column {i + 1} should be {col.heading!r}, is missing"
                    )
                elif not heading_matches(col, found):
                    findings.append(
                        f"{sheet}: column {i + 1} should be {col.heading!r}, is {found!r}"
                    )
                else:
                    matched.append((i, col))
            for i in range(len(columns), len(header)):
                findings.append(f"{sheet}: column {i + 1} {header[i]!r} is not in the layout")
            problems: dict[tuple[int, str], list[str]] = {}
            for row_number, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                for i, col in matched:
                    value = values[i] if i < len(values) else None
                    if value is None or (isinstance(value, str) and not value.strip()):
                        if col.required:
                            problems.setdefault((i, "blank", ""), []).append(
                                f"{sheet} row {row_number}: {col.heading!r} is blank but required"
                            )
                    elif not _type_ok(col.type, value):
                        problems.setdefault((i, "type", ""), []).append(
                            f"{sheet} row {row_number}: {col.heading!r} should be of type {col.type}, holds {_describe(value)}"
                        )
                    elif (number, col.heading) in categories and _normalise(
                        value
                    ) not in categories[(number, col.heading)]:
                        # one finding per distinct value, so every value not in the list is named
                        problems.setdefault((i, "value", _normalise(value)), []).append(
                            f"{sheet} row {row_number}: {col.heading!r} holds {value!r}, "
                            f"not in Annex A's list ({col.categories})"
                        )
            for (_, kind, _), messages in sorted(problems.items()):
                findings.extend(messages[:max_per_column])
                if len(messages) > max_per_column:
                    like = "with that value" if kind == "value" else "in that column"
                    findings.append(
                        f"{sheet}: {len(messages) - max_per_column} more like the above {like}"
                    )
    finally:
        wb.close()
    return findings


# --- producing it (CLI and Dagster asset) ----------------------------------------------------


def output_path(
    restricted_dir: Path, la_code: str, as_at: date, out: str | None, pseudonymised: bool
) -> Path:
    """Where the workbook goes. Identified workbooks only under the restricted folder (a relative
    --out is taken inside it; one outside it is refused); a pseudonymised copy may go anywhere."""
    restricted_dir = restricted_dir.resolve()
    default = f"annex_a_{la_code}_{as_at:%Y-%m-%d}{'_pseudonymised' if pseudonymised else ''}.xlsx"
    path = Path(out).expanduser() if out else Path(default)
    path = (path if path.is_absolute() else restricted_dir / path).resolve()
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"{path}: the workbook must be an .xlsx file")
    if not pseudonymised and not path.is_relative_to(restricted_dir):
        raise ValueError(
            f"{path} is outside the restricted folder {restricted_dir} (CSCW_RESTRICTED_DIR): "
            "an identified Annex A is written only there; use --pseudonymised for a copy to share"
        )
    return path


def produce(
    con,
    restricted_dir: Path,
    la_code: str,
    window_from: date | None,
    window_to: date | None,
    out: str | None,
    pseudonymised: bool,
    run_id: str,
) -> tuple[Path, list[ListResult]]:
    """Write the workbook from an open warehouse connection (owner-only permissions, swapped in
    whole) and return where it went with each list's row count."""
    import os

    as_at = data_date(con, la_code)
    if as_at is None:
        raise ValueError(f"authority {la_code} is not in the warehouse")
    path = output_path(restricted_dir, la_code, as_at, out, pseudonymised)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.parent == restricted_dir.resolve():
        os.chmod(path.parent, 0o700)
    partial = path.with_name(f".{path.name}.partial")
    results = write_workbook(con, la_code, partial, window_from, window_to, run_id, pseudonymised)
    os.chmod(partial, 0o600)
    partial.replace(path)  # a reader never sees half a workbook
    return path, results
