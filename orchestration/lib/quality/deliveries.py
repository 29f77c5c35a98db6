"""Which contract tables each authority delivered, when, and which measures they feed.

A measure needs conformed feeds (``seeds/kpi_catalogue.csv``, column ``needs``) and each feed
can be fed by source tables (``seeds/fact_sources.csv``). A table counts as delivered once a
version of it has been loaded for the authority (``raw_meta.current_versions``); a measure that
needs a feed none of whose sources was ever delivered is published as not available
(``kpi.kpi_measure_availability``), never as a failure of practice.

``write_deliveries(con, run_id)`` replaces this run's rows of ``quality.dq_deliveries``: one row
per run x authority x contract table with delivered, extract date, the feeds the table can feed
and the measures that need them. ``deliveries_section(con, run_id, la_code)`` is that list as a
section of the authority's page of the data-quality report, with the measures not available
and why. The seeds are read from their files, as the quality thresholds are, so the report does
not depend on a finished dbt build.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from orchestration.lib.contract import load_contract
from orchestration.lib.quality.results import SCHEMA
from orchestration.lib.settings import REPO_ROOT
from orchestration.lib.sqltext import lit

SEEDS = REPO_ROOT / "seeds"
AVAILABILITY = "kpi.kpi_measure_availability"

DELIVERIES_DDL = f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.dq_deliveries (
    run_id VARCHAR, reported_at TIMESTAMP, la_code VARCHAR, table_name VARCHAR, source VARCHAR,
    delivered BOOLEAN, extract_date DATE, feeds VARCHAR, measures_fed BIGINT, measures VARCHAR)"""


def deliveries_sql(seeds: Path = SEEDS) -> str:
    """One row per authority (raw_meta.authority_state) x contract table."""
    tables = ", ".join(f"({lit(n)}, {lit(t.source)})" for n, t in sorted(load_contract().items()))
    sources = lit(seeds / "fact_sources.csv")
    catalogue = lit(seeds / "kpi_catalogue.csv")
    return f"""
WITH contract(table_name, source) AS (VALUES {tables}),
sources AS (SELECT feed, source_table FROM read_csv({sources}, all_varchar = true, header = true)),
needs AS (
    SELECT kpi_id, unnest(regexp_split_to_array(trim(needs), '\\s+')) AS feed
    FROM read_csv({catalogue}, all_varchar = true, header = true)
    WHERE nullif(trim(needs), '') IS NOT NULL
),
fed AS (
    SELECT s.source_table AS table_name,
           string_agg(DISTINCT s.feed, ', ' ORDER BY s.feed) AS feeds,
           count(DISTINCT n.kpi_id) AS measures_fed,
           string_agg(DISTINCT n.kpi_id, ', ' ORDER BY n.kpi_id) AS measures
    FROM sources s LEFT JOIN needs n ON n.feed = s.feed
    GROUP BY ALL
)
SELECT a.la_code, c.table_name, c.source, v.table_name IS NOT NULL AS delivered, v.extract_date,
       f.feeds, coalesce(f.measures_fed, 0) AS measures_fed, f.measures
FROM raw_meta.authority_state a
CROSS JOIN contract c
LEFT JOIN (  -- a return has one current version per return year
    SELECT la_code, table_name, max(extract_date) AS extract_date
    FROM raw_meta.current_versions GROUP BY ALL
) v ON v.la_code = a.la_code AND v.table_name = c.table_name
LEFT JOIN fed f ON f.table_name = c.table_name
ORDER BY a.la_code, NOT delivered, c.table_name
"""


def _exists(con: Any, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )


def write_deliveries(con: Any, run_id: str, seeds: Path = SEEDS) -> None:
    """Replace this run's rows of quality.dq_deliveries."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    con.execute(DELIVERIES_DDL)
    con.execute(f"DELETE FROM {SCHEMA}.dq_deliveries WHERE run_id = ?", [run_id])
    if not _exists(con, "raw_meta", "authority_state"):
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        f"""INSERT INTO {SCHEMA}.dq_deliveries
            SELECT ?, ?, la_code, table_name, source, delivered, extract_date, feeds, measures_fed, measures
            FROM ({deliveries_sql(seeds)})""",
        [run_id, now],
    )


def deliveries_section(con: Any, run_id: str, la_code: str) -> Markup:
    """HTML: the authority's contract tables, delivered or not, and the measures they feed; then
    the measures not available for it and why (when the scorecard was built)."""
    from orchestration.lib.quality.quality_report import query_rows, render

    rows = query_rows(
        con,
        f"""SELECT table_name, delivered, extract_date, feeds, measures_fed, measures
                               FROM {SCHEMA}.dq_deliveries WHERE run_id = ? AND la_code = ?
                               ORDER BY NOT delivered, table_name""",
        [run_id, la_code],
    )
    missing = (
        query_rows(
            con,
            f"""SELECT kpi_id, not_available_reason, needs FROM {AVAILABILITY}
                                  WHERE la_code = ? AND NOT is_available ORDER BY kpi_id""",
            [la_code],
        )
        if _exists(con, "kpi", "kpi_measure_availability")
        else None
    )
    return render("section_deliveries.html.j2", rows=rows, missing=missing)
