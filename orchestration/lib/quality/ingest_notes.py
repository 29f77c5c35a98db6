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

from markupsafe import Markup

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
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def write_ingest_notes(con: Any, run_id: str) -> None:
    """Replace this run's rows of quality.dq_value_notes and quality.dq_orphans."""
    for ddl in DDL:
        con.execute(ddl)
    for table in ("dq_value_notes", "dq_orphans"):
        con.execute(f"DELETE FROM {SCHEMA}.{table} WHERE run_id = ?", [run_id])
    if _has(con, "raw_meta", "value_notes"):
        con.execute(
            f"INSERT INTO {SCHEMA}.dq_value_notes SELECT ?, * FROM raw_meta.value_notes", [run_id]
        )
    if _has(con, "raw_meta", "orphans"):
        con.execute(f"INSERT INTO {SCHEMA}.dq_orphans SELECT ?, * FROM raw_meta.orphans", [run_id])


def ingest_notes_section(con: Any, run_id: str, la_code: str) -> Markup:
    """HTML: files not used, references without a parent and values read as nothing, for one
    authority."""
    from orchestration.lib.quality.quality_report import query_rows, render

    orphans = query_rows(
        con,
        f"""SELECT table_name, column_name, parent_table || '.' || parent_column AS parent,
                                    CASE WHEN parent_delivered THEN 'yes' ELSE 'not delivered' END AS parent_delivered,
                                    rows_with_reference, rows_orphaned, references_orphaned,
                                    rows_resolved_by_alternate_key, source_file, example_lines
                             FROM {SCHEMA}.dq_orphans WHERE run_id = ? AND la_code = ?
                             ORDER BY table_name, column_name""",
        [run_id, la_code],
    )
    notes = query_rows(
        con,
        f"""SELECT table_name, column_name, note, rows, example
                           FROM {SCHEMA}.dq_value_notes WHERE run_id = ? AND la_code = ?
                           ORDER BY table_name, column_name, note""",
        [run_id, la_code],
    )
    unused = (
        query_rows(
            con,
            """SELECT path, reason FROM raw_meta.landing_ignored WHERE la_code = ? ORDER BY path""",
            [la_code],
        )
        if _has(con, "raw_meta", "landing_ignored")
        else []
    )
    return render("section_ingest_notes.html.j2", unused=unused, orphans=orphans, notes=notes)
