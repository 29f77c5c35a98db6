"""References between tables: they never cost a row.

The SSD ships with foreign-key constraints off (since 1.2.6) and gives each table its own time
window, so a reference that finds no parent row is normal in a real extract. Such a row loads;
the conformed layer resolves the reference to the unknown member, and `count_orphans` counts it
per table and column for the data-quality report (`raw_meta.orphans`).

The one thing a row cannot do without is its child. Some scripts (Mosaic) leave the child out of
visits, reviews, placements and involvements: `derive_children` takes it from the parent row the
contract's `child_from` column points at, and only a row that still has no child is quarantined.
"""

from orchestration.lib.contract import Table, person_column
from orchestration.lib.ingest.sql import NOTE_CHILD_FROM_PARENT
from orchestration.lib.sqltext import lit, q

RAW = "raw"
META = "raw_meta"

ORPHANS_DDL = f"""CREATE TABLE IF NOT EXISTS {META}.orphans (
    la_code VARCHAR, table_name VARCHAR, column_name VARCHAR, parent_table VARCHAR, parent_column VARCHAR,
    parent_delivered BOOLEAN, source_file VARCHAR, rows_with_reference BIGINT, rows_orphaned BIGINT,
    references_orphaned BIGINT, rows_resolved_by_alternate_key BIGINT, example_lines VARCHAR)"""
EXAMPLE_LINES = 5


def _parent_rows(
    contract: dict[str, Table], table: str, la_code: str, staged: dict[str, str]
) -> str:
    """A parent table's rows for this authority: this load's staged rows, or raw's current ones."""
    if table in staged:
        return f"(SELECT * FROM {staged[table]} WHERE len(_errors) = 0)"
    return f"(SELECT * FROM {RAW}.{q(table)} WHERE la_code = {lit(la_code)})"


def derive_children(
    con, contract: dict[str, Table], spec: Table, stage: str, la_code: str, staged: dict[str, str]
) -> tuple[int, str | None]:
    """Fill an empty child from the parent row; quarantine rows still without one.

    Returns (rows whose child came from the parent, a note naming the parent), (0, None) when the
    table takes no child from a parent."""
    child = next((c for c in spec.columns if c.child_from), None)
    if child is None:
        return 0, None
    via = spec.column(child.child_from)
    parent = contract[via.foreign_key.table]
    parent_child = person_column(parent)
    rows = _parent_rows(contract, parent.name, la_code, staged)
    derived = con.execute(
        f"""UPDATE {stage} SET {q(child.name)} = p.child
            FROM (SELECT {q(via.foreign_key.column)} AS ref, any_value({q(parent_child.name)}) AS child
                  FROM {rows} WHERE {q(parent_child.name)} IS NOT NULL GROUP BY 1) p
            WHERE {stage}.{q(child.name)} IS NULL AND {stage}.{q(via.name)} = p.ref"""
    ).fetchone()[0]
    reason = lit(
        f"no child: {child.name} is empty and {via.name} finds no {parent.name} row with a child"
    )
    con.execute(
        f"""UPDATE {stage} SET _errors = list_append(_errors, {{'column': {lit(child.name)}, 'reason': {reason},
              'value': CAST({q(via.name)} AS VARCHAR)}})
            WHERE {q(child.name)} IS NULL"""
    )
    return derived, f"{NOTE_CHILD_FROM_PARENT} ({parent.name} via {via.name})"


def count_orphans(con, contract: dict[str, Table], la_code: str) -> None:
    """Replace the authority's rows of raw_meta.orphans from its current raw tables."""
    con.execute(f"DELETE FROM {META}.orphans WHERE la_code = ?", [la_code])
    delivered = {
        r[0]
        for r in con.execute(
            f"SELECT table_name FROM {META}.current_versions WHERE la_code = ?", [la_code]
        ).fetchall()
    }
    la = lit(la_code)
    parts = []
    for table in contract.values():
        if table.name not in delivered:
            continue
        for col in table.foreign_keys:
            fk = col.foreign_key
            parent = contract[fk.table]
            alternate = next((c for c in parent.columns if c.alternate_key), None)
            by_key = (
                f"EXISTS (SELECT 1 FROM {RAW}.{q(fk.table)} p WHERE p.la_code = {la} "
                f"AND p.{q(fk.column)} = r.{q(col.name)})"
            )
            by_alternate = (
                (
                    f"EXISTS (SELECT 1 FROM {RAW}.{q(fk.table)} p WHERE p.la_code = {la} "
                    f"AND p.{q(alternate.name)} = r.{q(col.name)})"
                )
                if alternate
                else "false"
            )
            parts.append(f"""
                SELECT {lit(table.name)} AS table_name, {lit(col.name)} AS column_name, {lit(fk.table)} AS parent_table,
                       {lit(fk.column)} AS parent_column, {str(fk.table in delivered).lower()} AS parent_delivered,
                       any_value(r.source_file) AS source_file,
                       count(*) AS rows_with_reference,
                       count(*) FILTER (WHERE NOT found AND NOT found_alternate) AS rows_orphaned,
                       count(DISTINCT r.{q(col.name)}) FILTER (WHERE NOT found AND NOT found_alternate) AS references_orphaned,
                       count(*) FILTER (WHERE NOT found AND found_alternate) AS rows_resolved_by_alternate_key,
                       array_to_string(list(r.source_line ORDER BY r.source_line)
                           FILTER (WHERE NOT found AND NOT found_alternate)[1:{EXAMPLE_LINES}], ', ') AS example_lines
                FROM (SELECT r.source_file, r.source_line, r.{q(col.name)}, {by_key} AS found,
                             {by_alternate} AS found_alternate
                      FROM {RAW}.{q(table.name)} r WHERE r.la_code = {la} AND r.{q(col.name)} IS NOT NULL) r""")
    if parts:
        con.execute(f"""INSERT INTO {META}.orphans
                        SELECT {la}, * FROM ({" UNION ALL ".join(parts)}) WHERE rows_orphaned > 0
                           OR rows_resolved_by_alternate_key > 0""")
