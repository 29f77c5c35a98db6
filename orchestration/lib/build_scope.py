"""The scope of a per-authority run (macros/by_authority.sql): which authorities it rebuilds and
checks (decide_scope: asked by the dbt step and by the gate's GX suites), and the views through
which dbt's models and tests read only theirs (set up by the dbt step before dbt starts, removed
when dbt has finished: defs/transform/dbt_assets.py). Nothing here runs dbt."""

import re

from orchestration.lib.sqltext import lit, q

# Run tag set by `cscw run` when only the landing area changed since the last run that ended well.
PER_AUTHORITY_TAG = "cscw/per_authority"
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


def decide_scope(con, run_id: str) -> list[str] | None:
    """The authorities a per-authority run rebuilds and checks: those with a drop not yet
    published (lib/quality/verdicts.py). None, a full build, when that is every authority or
    nothing has been built yet. The dbt step and the gate's suites both ask, after ingestion."""
    from orchestration.lib.quality.verdicts import authorities_with_new_drops

    scope, loaded = authorities_with_new_drops(con, run_id)
    if len(scope) == len(loaded) or not _relations(con):
        return None
    return scope


def _relations(con) -> list[tuple[str, str]]:
    """(schema, name) of every relation of the built layers with a la_code column."""
    layers = ", ".join(lit(s) for s in SCOPED_LAYERS)
    return con.execute(
        "SELECT DISTINCT table_schema, table_name FROM information_schema.columns "
        f"WHERE column_name = 'la_code' AND table_schema IN ({layers}) ORDER BY ALL"
    ).fetchall()


def build_scope(con, run_id: str, per_authority: bool) -> list[str] | None:
    """Set up a per-authority build (macros/by_authority.sql) and return its authorities: the
    table raw_meta.build_scope, and for every relation of the layers dbt builds with a la_code
    column a view of the scope's rows, scoped_<schema>.<name>. None, and neither, for a full
    build (not asked for, or decide_scope says so)."""
    drop_scope(con)
    scope = decide_scope(con, run_id) if per_authority else None
    if scope is None:
        return None
    con.execute(f"CREATE TABLE {SCOPE_TABLE} (la_code VARCHAR PRIMARY KEY)")
    if scope:
        con.executemany(f"INSERT INTO {SCOPE_TABLE} VALUES (?)", [(la,) for la in scope])
    # Literals, not a subquery of the scope table: DuckDB pushes them down to the scans.
    predicate = f"la_code IN ({', '.join(lit(la) for la in scope)})" if scope else "false"
    relations = _relations(con)
    for schema in sorted({schema for schema, _ in relations}):
        con.execute(f"CREATE SCHEMA {q('scoped_' + schema)}")
    for schema, name in relations:
        con.execute(
            f"CREATE VIEW {q('scoped_' + schema)}.{q(name)} AS "
            f"SELECT * FROM {q(schema)}.{q(name)} WHERE {predicate}"
        )
    return scope
