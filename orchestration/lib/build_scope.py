"""The scope of a per-authority dbt build (macros/by_authority.sql): which authorities it
rebuilds, and the views through which the models and tests read only theirs.

Set up by the dbt step before dbt starts and removed when dbt has finished
(defs/transform/dbt_assets.py); nothing here runs dbt."""

import re

from orchestration.lib.sqltext import lit, q

SCOPE_TABLE = "raw_meta.build_scope"
SCOPED_LAYERS = ("staging", "conformed", "intermediate", "kpi")  # schemas dbt builds per authority
# "scoped_<layer>". as a schema name in a view's SQL (quoted or not)
SCOPED_NAME = re.compile(r"\bscoped_(?=(?:" + "|".join(SCOPED_LAYERS) + r')"?\.)')


def drop_scope(con) -> None:
    """End a per-authority build: the scope table and views go. The failing rows dbt keeps for
    its tests (views in schema `audit`) read the tables themselves again, as after a full build:
    every authority's failing rows, for the gate and for auditors."""
    con.execute(f"DROP TABLE IF EXISTS {SCOPE_TABLE}")
    layers = ", ".join(lit("scoped_" + s) for s in SCOPED_LAYERS)
    if not con.execute(
        f"SELECT count(*) FROM duckdb_schemas() WHERE schema_name IN ({layers})"
    ).fetchone()[0]:
        return
    readers = con.execute(
        "SELECT sql FROM duckdb_views() WHERE NOT internal AND NOT starts_with(schema_name, 'scoped_') "
        "AND regexp_matches(sql, 'scoped_(" + "|".join(SCOPED_LAYERS) + ")')"
    ).fetchall()
    for (sql,) in readers:
        con.execute(SCOPED_NAME.sub("", sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1)))
    for schema in SCOPED_LAYERS:
        con.execute(f"DROP SCHEMA IF EXISTS {q('scoped_' + schema)} CASCADE")


def build_scope(con, run_id: str, per_authority: bool) -> list[str] | None:
    """Set up a per-authority build (macros/by_authority.sql) and return its authorities: the
    table raw_meta.build_scope, and for every relation of the layers dbt builds with a la_code
    column a view of the scope's rows, scoped_<schema>.<name>. None, and neither, for a full
    build: not asked for, no earlier build, or every authority has a new drop."""
    from orchestration.lib.quality.verdicts import authorities_with_new_drops

    drop_scope(con)
    if not per_authority:
        return None
    scope, loaded = authorities_with_new_drops(con, run_id)
    layers = ", ".join(lit(s) for s in SCOPED_LAYERS)
    relations = con.execute(
        "SELECT DISTINCT table_schema, table_name FROM information_schema.columns "
        f"WHERE column_name = 'la_code' AND table_schema IN ({layers}) ORDER BY ALL"
    ).fetchall()
    if len(scope) == len(loaded) or not relations:
        return None
    con.execute(f"CREATE TABLE {SCOPE_TABLE} (la_code VARCHAR PRIMARY KEY)")
    if scope:
        con.executemany(f"INSERT INTO {SCOPE_TABLE} VALUES (?)", [(la,) for la in scope])
    # Literals, not a subquery of the scope table: DuckDB pushes them down to the scans.
    predicate = f"la_code IN ({', '.join(lit(la) for la in scope)})" if scope else "false"
    for schema in {schema for schema, _ in relations}:
        con.execute(f"CREATE SCHEMA {q('scoped_' + schema)}")
    for schema, name in relations:
        con.execute(
            f"CREATE VIEW {q('scoped_' + schema)}.{q(name)} AS "
            f"SELECT * FROM {q(schema)}.{q(name)} WHERE {predicate}"
        )
    return scope
