"""What ingestion read as "nothing" and which references found no parent, for the auditors.

Neither costs a row (orchestration/contract/README.md): a text NULL, a sentinel date, a
placeholder id or an unrecognised flag is read as missing and counted per column
(``raw_meta.value_notes``); a reference whose parent row is not there loads and is counted per
table and column, with the first lines to look at (``raw_meta.orphans``). Both describe the
current version of each table, so each run's report copies them:

* ``quality.dq_value_notes``: run x authority x table x column x note: rows, an example value
  (the text as delivered: NULL, 1900-01-01, -1, or the flag that was not one; never an
  identifier or personal data, whose columns are not flags or dates);
* ``quality.dq_orphans``: run x authority x table x reference column: the parent, whether it
  was delivered at all, rows with a reference, rows whose reference found nothing, distinct
  references, rows resolved by the parent's other id (a worker's staff id) and example lines.

``ingest_notes_section(con, run_id, la_code)`` is the section of the authority's page.
"""

from __future__ import annotations

from typing import Any

from orchestration.lib.quality.results import SCHEMA

DDL = [
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dq_value_notes (
        run_id VARCHAR, la_code VARCHAR, table_name VARCHAR, source_file VARCHAR, column_name VARCHAR,
        note VARCHAR, rows BIGINT, example VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dq_orphans (
        run_id VARCHAR, la_code VARCHAR, table_name VARCHAR, column_name VARCHAR, parent_table VARCHAR,
        parent_column VARCHAR, parent_delivered BOOLEAN, source_file VARCHAR, rows_with_reference BIGINT,
        rows_orphaned BIGINT, references_orphaned BIGINT, rows_resolved_by_alternate_key BIGINT,
        example_lines VARCHAR)""",
]


def _has(con: Any, schema: str, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                            [schema, table]).fetchone()[0])


def write_ingest_notes(con: Any, run_id: str) -> None:
    """Replace this run's rows of quality.dq_value_notes and quality.dq_orphans."""
    for ddl in DDL:
        con.execute(ddl)
    for table in ("dq_value_notes", "dq_orphans"):
        con.execute(f"DELETE FROM {SCHEMA}.{table} WHERE run_id = ?", [run_id])
    if _has(con, "raw_meta", "value_notes"):
        con.execute(f"INSERT INTO {SCHEMA}.dq_value_notes SELECT ?, * FROM raw_meta.value_notes", [run_id])
    if _has(con, "raw_meta", "orphans"):
        con.execute(f"INSERT INTO {SCHEMA}.dq_orphans SELECT ?, * FROM raw_meta.orphans", [run_id])


def ingest_notes_section(con: Any, run_id: str, la_code: str) -> str:
    """HTML: references without a parent and values read as nothing, for one authority."""
    from orchestration.lib.quality.report import _rows, _table as table

    orphans = _rows(con, f"""SELECT table_name, column_name, parent_table || '.' || parent_column AS parent,
                                    CASE WHEN parent_delivered THEN 'yes' ELSE 'not delivered' END AS parent_delivered,
                                    rows_with_reference, rows_orphaned, references_orphaned,
                                    rows_resolved_by_alternate_key, source_file, example_lines
                             FROM {SCHEMA}.dq_orphans WHERE run_id = ? AND la_code = ?
                             ORDER BY table_name, column_name""", [run_id, la_code])
    notes = _rows(con, f"""SELECT table_name, column_name, note, rows, example
                           FROM {SCHEMA}.dq_value_notes WHERE run_id = ? AND la_code = ?
                           ORDER BY table_name, column_name, note""", [run_id, la_code])
    unused = _rows(con, """SELECT path, reason FROM raw_meta.landing_ignored WHERE la_code = ? ORDER BY path""",
                   [la_code]) if _has(con, "raw_meta", "landing_ignored") else []
    return (
        "<h2>Files not used</h2><p class='muted'>Files in this authority's landing folder that feed no table "
        "(not recognised as an extract table, a 903 table or a return XML, or delivered twice in one drop).</p>"
        + table(unused, [("path", "file"), ("reason", "why")])
        + "<h2>References without a parent row</h2><p class='muted'>They load (the SSD has foreign keys off "
        "and gives each table its own time window); in the conformed layer they resolve to the unknown "
        "member (team -1, the unknown worker, an inferred child). A worker reference holding the staff id "
        "is resolved by it. Look them up at the lines given.</p>"
        + table(orphans, [("table_name", "table"), ("column_name", "column"), ("parent", "parent"),
                          ("parent_delivered", "parent delivered"), ("rows_with_reference", "rows with a reference"),
                          ("rows_orphaned", "no parent"), ("references_orphaned", "distinct"),
                          ("rows_resolved_by_alternate_key", "resolved by staff id"), ("source_file", "file"),
                          ("example_lines", "first lines")])
        + "<h2>Values read as nothing</h2><p class='muted'>Text NULL, sentinel dates, placeholder ids and "
          "answers that are not a yes or no, counted per column (orchestration/contract/value_conventions.csv); "
          "none costs a row.</p>"
        + table(notes, [("table_name", "table"), ("column_name", "column"), ("note", "read as"), ("rows", "rows"),
                        ("example", "example")])
    )

