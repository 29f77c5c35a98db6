"""Expectation results kept in the warehouse: ``quality.check_results``.

One row per run x check x authority x table x expectation, written by every quality check
(so the gate can judge each authority, the publish step can record warnings in the published run
metadata, and the data-quality report can show results and trends over runs). The table is append-only across runs; a
re-executed check replaces its own rows for the run.

    run_id           VARCHAR    Dagster run id
    checked_at       TIMESTAMP  UTC
    check_name       VARCHAR    Dagster check, e.g. gx_raw_load, drift_publication; dbt_tests
    suite            VARCHAR    GX suite
    la_code          VARCHAR    authority (the batch, or a dbt test's failing rows); NULL when not
                                attributable to one authority: a failed critical result then holds
                                back every authority (quality.verdicts)
    table_name       VARCHAR    the contract table the result is about (raw_load: each table;
                                dbt tests: the tested model; KPI suites: kpi_scorecard)
    expectation      VARCHAR    GX expectation type
    column_name      VARCHAR    column(s) checked; NULL for table-level expectations
    severity         VARCHAR    critical | warning | info
    success          BOOLEAN
    unexpected_count BIGINT     failing rows (raw_load: 1 for the table that failed)
    element_count    BIGINT     rows checked
    observed         VARCHAR    GX observed value / failing ids, shortened
    description      VARCHAR    what the expectation means
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

SCHEMA = "quality"

CHECK_RESULTS_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.check_results (
    run_id VARCHAR, checked_at TIMESTAMP, check_name VARCHAR, suite VARCHAR, la_code VARCHAR,
    table_name VARCHAR, expectation VARCHAR, column_name VARCHAR, severity VARCHAR,
    success BOOLEAN, unexpected_count BIGINT, element_count BIGINT, observed VARCHAR,
    description VARCHAR)"""

COLUMNS = (
    "run_id",
    "checked_at",
    "check_name",
    "suite",
    "la_code",
    "table_name",
    "expectation",
    "column_name",
    "severity",
    "success",
    "unexpected_count",
    "element_count",
    "observed",
    "description",
)


def ensure_tables(con: Any) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    con.execute(CHECK_RESULTS_DDL)


def _short(value: Any, limit: int = 500) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def result_rows(
    outcome: Any,
    run_id: str,
    check_name: str,
    table_name: str | None,
    per_table_key: str | None = None,
    tables_by_batch: dict[str, list[str]] | None = None,
    checked_at: datetime | None = None,
) -> list[tuple]:
    """Rows for ``quality.check_results`` from a ``SuiteOutcome``.

    With ``per_table_key`` (the raw-layer aggregate, one row per table), each expectation is
    expanded to one row per table of the batch (``tables_by_batch``): failed for the tables
    among its failing rows, passed for the others.
    """
    checked_at = checked_at or datetime.now(UTC).replace(tzinfo=None)
    rows: list[tuple] = []
    for o in outcome.outcomes:
        base = (run_id, checked_at, check_name, outcome.suite, o.batch)
        tail = (o.description,)
        if per_table_key and tables_by_batch is not None:
            failing = {r.get(per_table_key) for r in (o.rows or []) if isinstance(r, dict)}
            for table in tables_by_batch.get(o.batch, []):
                failed = (not o.success) and (table in failing or not failing)
                rows.append(
                    base
                    + (
                        table,
                        o.expectation,
                        o.column,
                        o.severity,
                        not failed,
                        1 if failed else 0,
                        1,
                        None if not failed else _short(o.observed),
                    )
                    + tail
                )
            continue
        observed = o.observed
        if not o.success and o.rows:
            observed = f"{observed or ''}; rows: {_short(o.rows, 400)}"
        rows.append(
            base
            + (
                table_name,
                o.expectation,
                o.column,
                o.severity,
                o.success,
                o.unexpected_count,
                o.element_count,
                _short(observed),
            )
            + tail
        )
    return rows


def record(con: Any, rows: list[tuple], run_id: str, check_name: str) -> None:
    """Replace this run's rows of one check with ``rows``."""
    ensure_tables(con)
    con.execute(
        f"DELETE FROM {SCHEMA}.check_results WHERE run_id = ? AND check_name = ?",
        [run_id, check_name],
    )
    if not rows:
        return
    insert = f"INSERT INTO {SCHEMA}.check_results ({', '.join(COLUMNS)})"
    try:
        batch = _as_arrow(rows)
    except (TypeError, ValueError):  # a value Arrow will not take as its column's type
        # DuckDB binds it row by row instead (about 1 ms a row: a minute at all-England size)
        con.executemany(f"{insert} VALUES ({', '.join('?' for _ in COLUMNS)})", rows)
        return
    con.register("check_results_batch", batch)
    try:
        con.execute(f"{insert} SELECT * FROM check_results_batch")
    finally:
        con.unregister("check_results_batch")


def _as_arrow(rows: list[tuple]) -> Any:
    """The rows as one Arrow table in ``COLUMNS`` order, typed as the table's columns."""
    import pyarrow as pa

    types = {
        "checked_at": pa.timestamp("us"),
        "success": pa.bool_(),
        "unexpected_count": pa.int64(),
        "element_count": pa.int64(),
    }
    columns = list(zip(*rows, strict=True))
    return pa.table(
        [
            pa.array(values, type=types.get(name, pa.string()))
            for name, values in zip(COLUMNS, columns, strict=True)
        ],
        names=list(COLUMNS),
    )


def carry_over(con: Any, run_id: str, check_name: str, authorities: list[str]) -> int:
    """Copy each authority's results of one check from the last earlier run that recorded them
    into this run, and return the rows copied: the authorities a per-authority run did not
    rebuild or check again (defs/transform/dbt_assets.py), whose rows, and so whose results, are
    those of that run. Their checked_at stays that run's."""
    if not authorities:
        return 0
    ensure_tables(con)
    others = [c for c in COLUMNS if c != "run_id"]
    before = con.execute(f"SELECT count(*) FROM {SCHEMA}.check_results").fetchone()[0]
    con.execute(
        f"""INSERT INTO {SCHEMA}.check_results ({", ".join(COLUMNS)})
        WITH last AS (
            SELECT la_code, arg_max(run_id, checked_at) AS last_run
            FROM {SCHEMA}.check_results
            WHERE check_name = $check AND run_id <> $run_id AND list_contains($authorities, la_code)
            GROUP BY la_code
        )
        SELECT $run_id, {", ".join("r." + c for c in others)}
        FROM {SCHEMA}.check_results r
        JOIN last ON r.run_id = last.last_run AND r.la_code = last.la_code
        WHERE r.check_name = $check""",
        {"run_id": run_id, "check": check_name, "authorities": list(authorities)},
    )
    return con.execute(f"SELECT count(*) FROM {SCHEMA}.check_results").fetchone()[0] - before
