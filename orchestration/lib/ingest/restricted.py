"""The restricted schema: who a pseudonym is, kept apart from everything models and BI read.

Identifiers are pseudonymised at the raw boundary (lib/ingest/sql.py), so raw and every layer
above it hold keyed pseudonyms only; names, UPN, NHS number and other direct identifiers never
enter raw at all. This schema keeps what the restricted outputs (Annex A, managers' lists) need to
restore identities, and nothing else reads it (docs/privacy.md):

restricted.key_map             (la_code, kind, pseudonym, source_id): a child's or worker's
                               case-management id (or a care leaver's personal adviser as
                               recorded) behind its pseudonym; insert-only.
restricted.direct_identifiers  (la_code, table_name, kind, pseudonym, column_name, value,
                               source_line): names, UPN, NHS number, registration numbers (contract
                               columns marked `direct`, and columns outside the contract whose names
                               look like direct identifiers), for the record's own entity;
                               replaced whenever its table is reloaded.
"""

from orchestration.lib.contract import Table
from orchestration.lib.ingest.sql import CLEARTEXT_PREFIX, DIRECT_PREFIX
from orchestration.lib.sqltext import lit, q

SCHEMA = "restricted"
# Whose identities the restricted outputs restore: children, workers, and care leavers' personal
# advisers (Annex A List 9 names them; the contract holds the adviser as recorded, not a worker id).
KEY_MAP_KINDS = ("person", "professional", "personal_adviser")

DDL = [
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.key_map (
        la_code VARCHAR, kind VARCHAR, pseudonym VARCHAR, source_id VARCHAR)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.direct_identifiers (
        la_code VARCHAR, table_name VARCHAR, kind VARCHAR, pseudonym VARCHAR, column_name VARCHAR,
        value VARCHAR, source_line BIGINT)""",
]


def ensure_restricted(con) -> None:
    for ddl in DDL:
        con.execute(ddl)


def _hidden(con, stage: str, prefix: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(f"SELECT column_name FROM (DESCRIBE {stage})").fetchall()
        if r[0].startswith(prefix)
    ]


def keep_identities(
    con, stage: str, table_name: str, spec: Table, la_code: str, replace: bool = True
) -> None:
    """Write the loaded rows' cleartext ids and direct identifiers of one staged file; `replace`
    first removes the table's earlier ones (False for a further return year of the same table)."""
    cleartext = _hidden(con, stage, CLEARTEXT_PREFIX)
    if cleartext:
        kinds = {c.name: c.identifies for c in spec.columns}
        pairs = " UNION ALL ".join(
            f"SELECT {lit(kinds[col[len(CLEARTEXT_PREFIX) :]])} AS kind, "
            f"{q(col[len(CLEARTEXT_PREFIX) :])} AS pseudonym, {q(col)} AS source_id "
            f"FROM {stage} WHERE {q(col)} IS NOT NULL AND len(_errors) = 0"
            for col in cleartext
        )
        con.execute(
            f"""INSERT INTO {SCHEMA}.key_map
                SELECT DISTINCT {lit(la_code)}, ids.kind, ids.pseudonym, ids.source_id FROM ({pairs}) ids
                WHERE NOT EXISTS (SELECT 1 FROM {SCHEMA}.key_map k WHERE k.la_code = {lit(la_code)}
                                  AND k.kind = ids.kind AND k.pseudonym = ids.pseudonym)"""
        )
    if replace:
        con.execute(
            f"DELETE FROM {SCHEMA}.direct_identifiers WHERE la_code = ? AND table_name = ?",
            [la_code, table_name],
        )
    direct = _hidden(con, stage, DIRECT_PREFIX)
    if not direct:
        return
    # The entity a record's identifiers belong to: the record's own key (a person, a worker), else
    # the child it is about (a table outside the contract).
    owner = next((c for c in spec.columns if c.primary_key and c.identifies), None) or next(
        (c for c in spec.columns if c.is_person_id), None
    )
    kind, key = (lit(owner.identifies), q(owner.name)) if owner else ("NULL", "NULL")
    rows = " UNION ALL ".join(
        f"SELECT {lit(col[len(DIRECT_PREFIX) :])} AS column_name, {q(col)} AS value, {key} AS pseudonym, _line "
        f"FROM {stage} WHERE {q(col)} IS NOT NULL AND len(_errors) = 0"
        for col in direct
    )
    con.execute(
        f"""INSERT INTO {SCHEMA}.direct_identifiers
            SELECT {lit(la_code)}, {lit(table_name)}, {kind}, d.pseudonym, d.column_name, d.value, d._line
            FROM ({rows}) d"""
    )
