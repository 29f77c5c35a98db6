"""Per-authority verdicts of a run: ``quality.verdicts``.

    run_id   VARCHAR  Dagster run id
    la_code  VARCHAR  authority
    verdict  VARCHAR  published | held_back | unchanged
    reasons  VARCHAR  why it was held back: one sentence per failed blocking check, '; '-joined
    judged_at TIMESTAMP when (UTC, as ``raw_meta.load_log.loaded_at``); NULL in older warehouses

and the runs whose publication completed, ``quality.publications`` (run_id, snapshot,
published_at): a verdict is written at the gate, before publication, so a run killed or failed
while publishing has "published" verdicts and published nothing.

An authority is **held back** when this run's ``quality.check_results`` hold a failed
``critical`` result with its ``la_code``, or one with ``la_code`` NULL (a failure that cannot be
attributed to one authority holds back all of them). Otherwise it is **published** when it
has a drop not published yet: files read by ingestion (``raw_meta.load_log``) in this run, or
read earlier and not published since (the run that read them held the authority back or was
killed before its publication completed, and no later run published it); **unchanged** when
not. Any check, loader or gate records a blocking failure for an authority the same way: a row
in ``quality.check_results`` with ``severity = 'critical'``, ``success = false`` and the
authority's ``la_code``.

Authorities judged: every authority ingestion has read files for, plus any named by a result of
the run (e.g. a refused drop recorded for an authority with nothing loaded).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from orchestration.lib.quality.results import SCHEMA, ensure_tables

PUBLISHED, HELD_BACK, UNCHANGED = "published", "held_back", "unchanged"
PASSING = (PUBLISHED, UNCHANGED)

VERDICTS_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.verdicts (
    run_id VARCHAR, la_code VARCHAR, verdict VARCHAR, reasons VARCHAR, judged_at TIMESTAMP)"""
# warehouses from before judged_at
VERDICTS_JUDGED_AT = f"ALTER TABLE {SCHEMA}.verdicts ADD COLUMN IF NOT EXISTS judged_at TIMESTAMP"
PUBLICATIONS_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.publications (
    run_id VARCHAR, snapshot VARCHAR, published_at TIMESTAMP)"""

# One sentence per failed blocking result: the check, the table, what was expected, how many failed.
REASON_SQL = """check_name || ' on ' || coalesce(table_name, 'the warehouse') || ': "'
    || rtrim(coalesce(description, expectation), '.') || '" not met'
    || coalesce(' (' || nullif(concat_ws('; ', column_name,
        unexpected_count || ' failing' || coalesce(' of ' || element_count || ' checked', '')), '') || ')', '')
    || CASE WHEN la_code IS NULL THEN ' [not attributable to one authority: holds back every authority]'
            ELSE '' END"""


def ensure_verdicts_table(con: Any) -> None:
    """quality.verdicts (with judged_at, added to older warehouses) and quality.publications."""
    ensure_tables(con)
    con.execute(VERDICTS_DDL)
    con.execute(VERDICTS_JUDGED_AT)
    con.execute(PUBLICATIONS_DDL)


def record_publication(con: Any, run_id: str, snapshot: str) -> None:
    """Say that this run's snapshot is published (``current`` points at it): from now on its
    "published" verdicts count as published drops."""
    ensure_verdicts_table(con)
    con.execute(
        f"INSERT INTO {SCHEMA}.publications VALUES (?, ?, ?)",
        [run_id, snapshot, datetime.now(UTC).replace(tzinfo=None)],
    )


def new_drops_sql(con: Any) -> str:
    """SQL of (la_code, new_drop) for every authority ingestion has read files for (parameter
    $run_id). A drop is new for publication when this run read it, or when no run has published
    the authority since it was read: neither the run that read it (held back, or killed before its
    publication completed) nor a later one (judged after the drop was loaded). Verdicts from before
    judged_at (NULL) predate ``publications`` too: the run that read the drop is trusted."""
    has_load_log = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw_meta' AND table_name = 'load_log'"
    ).fetchall()[0][0]
    if not has_load_log:
        return "SELECT NULL::VARCHAR AS la_code, false AS new_drop WHERE false"
    ensure_verdicts_table(con)
    return f"""SELECT l.la_code, bool_or(l.run_id = $run_id OR NOT EXISTS (
                   SELECT 1 FROM {SCHEMA}.verdicts v
                   WHERE v.la_code = l.la_code AND v.verdict = '{PUBLISHED}'
                     AND (v.run_id = l.run_id OR v.judged_at >= l.loaded_at)
                     AND (v.judged_at IS NULL OR v.run_id IN (
                         SELECT p.run_id FROM {SCHEMA}.publications p)))) AS new_drop
               FROM raw_meta.load_log l GROUP BY l.la_code"""


def authorities_with_new_drops(con: Any, run_id: str) -> tuple[list[str], list[str]]:
    """(the authorities with a drop not published yet, every authority loaded), sorted."""
    rows = con.execute(
        f"SELECT la_code, new_drop FROM ({new_drops_sql(con)}) ORDER BY la_code", {"run_id": run_id}
    ).fetchall()
    return [la for la, new in rows if new], [la for la, _ in rows]


def judge(con: Any, run_id: str) -> list[dict]:
    """Write this run's verdicts (replacing any) and return them, ordered by la_code."""
    ensure_verdicts_table(con)
    judged_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(f"DELETE FROM {SCHEMA}.verdicts WHERE run_id = ?", [run_id])
    delivered = new_drops_sql(con)
    con.execute(
        f"""INSERT INTO {SCHEMA}.verdicts
        WITH results AS (
            SELECT * FROM {SCHEMA}.check_results WHERE run_id = $run_id
        ),
        authorities AS (
            SELECT la_code, bool_or(new_drop) AS new_drop
            FROM ({delivered}
                  UNION ALL
                  SELECT DISTINCT la_code, false FROM results WHERE la_code IS NOT NULL)
            GROUP BY la_code
        ),
        blocking AS (
            SELECT la_code, {REASON_SQL} AS reason
            FROM results WHERE severity = 'critical' AND NOT success
        ),
        judged AS (
            SELECT a.la_code, a.new_drop,
                   string_agg(DISTINCT b.reason, '; ' ORDER BY b.reason) AS reasons
            FROM authorities a
            LEFT JOIN blocking b ON b.la_code = a.la_code OR b.la_code IS NULL
            GROUP BY a.la_code, a.new_drop
        )
        SELECT $run_id, la_code,
               CASE WHEN reasons IS NOT NULL THEN '{HELD_BACK}'
                    WHEN new_drop THEN '{PUBLISHED}' ELSE '{UNCHANGED}' END,
               reasons, $judged_at
        FROM judged ORDER BY la_code""",
        {"run_id": run_id, "judged_at": judged_at},
    )
    return read_verdicts(con, run_id)


def read_verdicts(con: Any, run_id: str) -> list[dict]:
    """[{la_code, verdict, reasons}] of one run (empty if the gate did not run)."""
    if not con.execute(
        "SELECT count(*) FROM information_schema.tables "
        f"WHERE table_schema = '{SCHEMA}' AND table_name = 'verdicts'"
    ).fetchall()[0][0]:
        return []
    rows = con.execute(
        f"SELECT la_code, verdict, reasons FROM {SCHEMA}.verdicts WHERE run_id = ? ORDER BY la_code",
        [run_id],
    ).fetchall()
    return [
        {"la_code": la, "verdict": verdict, "reasons": reasons} for la, verdict, reasons in rows
    ]


def held_back(verdicts: list[dict]) -> list[str]:
    return [v["la_code"] for v in verdicts if v["verdict"] == HELD_BACK]


def passing(verdicts: list[dict]) -> list[str]:
    return [v["la_code"] for v in verdicts if v["verdict"] in PASSING]


def exit_code(run_succeeded: bool, verdicts: list[dict]) -> int:
    """0 everything up to date or published; 3 some authorities held back, the rest published;
    1 nothing published (all held back, or the run failed). (2, usage errors, is the CLI's.)"""
    if not run_succeeded:
        return 1
    if held_back(verdicts):
        return 3 if passing(verdicts) else 1
    return 0
