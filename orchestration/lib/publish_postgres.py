"""Publish a finished snapshot's Parquet files to a PostgreSQL schema, atomically for readers.

Configured by the environment:

| variable               | default | what                                                         |
|------------------------|---------|--------------------------------------------------------------|
| CSCW_PG_DSN            | (unset) | e.g. postgresql://user:pass@host:5432/cscw; unset = no step   |
| CSCW_PG_SCHEMA         | cscw    | the schema BI tools read                                     |
| CSCW_PG_READER_ROLE    | (unset) | a role granted USAGE on the schema and SELECT on its tables   |
| CSCW_PG_PUBLISH_DETAIL | false   | also load the child-level detail tables                      |

Each table is created in a new schema `<schema>_new_<stamp>` and loaded with COPY from the
Parquet file, one Arrow record batch at a time (bounded memory, no DataFrames). Then one
transaction drops the old schema and renames the new one: a reader sees the previous set or
the new set, never a mixture. A failure leaves the previous schema untouched and drops the
half-loaded one.

DuckDB's postgres extension is not used: it downloads from extensions.duckdb.org at install,
which these machines cannot reach; psycopg is a plain wheel.
"""

import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

BATCH_ROWS = 50_000
SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


class PostgresPublishError(RuntimeError):
    pass


@dataclass(frozen=True)
class PostgresTarget:
    dsn: str
    schema: str = "cscw"
    reader_role: str | None = None
    include_detail: bool = False

    @property
    def safe_dsn(self) -> str:
        """The DSN without its password, for messages and metadata."""
        return re.sub(
            r"(://[^:/@]+):[^@]*@", r"\1:***@", re.sub(r"password=\S+", "password=***", self.dsn)
        )


def postgres_target(env: dict | None = None) -> PostgresTarget | None:
    from orchestration.lib.settings import env_flag

    env = os.environ if env is None else env
    dsn = env.get("CSCW_PG_DSN", "").strip()
    if not dsn:
        return None
    schema = env.get("CSCW_PG_SCHEMA", "").strip() or "cscw"
    if not SCHEMA_NAME.match(schema):
        raise ValueError(
            f"CSCW_PG_SCHEMA must be a lower-case identifier (a-z, 0-9, _), not {schema!r}"
        )
    return PostgresTarget(
        dsn=dsn,
        schema=schema,
        reader_role=env.get("CSCW_PG_READER_ROLE", "").strip() or None,
        include_detail=env_flag("CSCW_PG_PUBLISH_DETAIL", False, env),
    )


def pg_type(t: pa.DataType) -> str:
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_uint8(t):
        return "smallint"
    if pa.types.is_int32(t) or pa.types.is_uint16(t):
        return "integer"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_float32(t):
        return "real"
    if pa.types.is_floating(t):
        return "double precision"
    if pa.types.is_decimal(t):
        return f"numeric({t.precision}, {t.scale})"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamptz" if t.tz else "timestamp"
    if pa.types.is_time(t):
        return "time"
    return "text"


def _load_table(cur, sql, schema: str, name: str, parquet: Path, progress) -> int:
    source = pq.ParquetFile(parquet)
    arrow_schema = source.schema_arrow
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(pg_type(f.type)))
        for f in arrow_schema
    )
    cur.execute(
        sql.SQL("CREATE TABLE {}.{} ({})").format(
            sql.Identifier(schema), sql.Identifier(name), columns
        )
    )
    # Strings are always quoted by Arrow's CSV writer and NULLs are empty and unquoted, which is
    # exactly PostgreSQL's CSV NULL convention; text-like columns that are not strings are cast.
    casts = {
        f.name: pa.string()
        for f in arrow_schema
        if pg_type(f.type) == "text"
        and not (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))
    }
    copy = sql.SQL("COPY {}.{} FROM STDIN (FORMAT csv)").format(
        sql.Identifier(schema), sql.Identifier(name)
    )
    rows = 0
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with cur.copy(copy) as writer:
        for batch in source.iter_batches(batch_size=BATCH_ROWS):
            if casts:
                batch = pa.RecordBatch.from_arrays(
                    [
                        col.cast(casts[f.name]) if f.name in casts else col
                        for col, f in zip(batch.columns, batch.schema)
                    ],
                    names=batch.schema.names,
                )
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            writer.write(buffer.getvalue())
            rows += batch.num_rows
    if progress:
        progress(f"postgres: {name} {rows} rows")
    return rows


def publish_postgres(
    snapshot: Path,
    target: PostgresTarget,
    detail_tables=(),
    manifest: dict | None = None,
    progress=None,
) -> dict:
    """Load every Parquet file of `snapshot` into `target.schema`; returns {table: rows}."""
    import psycopg
    from psycopg import sql

    parquet_dir = snapshot / "parquet"
    files = sorted(parquet_dir.glob("*.parquet"))
    files = [f for f in files if target.include_detail or f.stem not in set(detail_tables)]
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    new_schema = f"{target.schema}_new_{stamp}"
    try:
        conn = psycopg.connect(target.dsn, connect_timeout=15, autocommit=True)
    except psycopg.Error as error:
        raise PostgresPublishError(
            f"cannot connect to PostgreSQL at {target.safe_dsn}: {error}".strip()
        ) from error
    counts = {}
    try:
        with conn.transaction(), conn.cursor() as cur:
            # Leftovers of an earlier failed load (one publishing run at a time).
            cur.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
                [target.schema.replace("_", r"\_") + r"\_new\_%"],
            )
            for (old,) in cur.fetchall():
                cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(old)))
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(new_schema)))
            for path in files:
                counts[path.stem] = _load_table(cur, sql, new_schema, path.stem, path, progress)
            m = manifest or {}
            cur.execute(
                sql.SQL(
                    "CREATE TABLE {}.cscw_publication (snapshot text, run_id text, published_at text, tables text)"
                ).format(sql.Identifier(new_schema))
            )
            cur.execute(
                sql.SQL("INSERT INTO {}.cscw_publication VALUES (%s, %s, %s, %s)").format(
                    sql.Identifier(new_schema)
                ),
                [snapshot.name, m.get("run_id"), m.get("published_at"), ", ".join(sorted(counts))],
            )
        # One transaction: readers see the old schema until commit, then the new one.
        with conn.transaction(), conn.cursor() as cur:
            cur.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(target.schema))
            )
            cur.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                    sql.Identifier(new_schema), sql.Identifier(target.schema)
                )
            )
            if target.reader_role:
                role = sql.Identifier(target.reader_role)
                schema = sql.Identifier(target.schema)
                cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, role))
                cur.execute(
                    sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(schema, role)
                )
    except psycopg.Error as error:
        _drop_quietly(conn, new_schema)
        raise PostgresPublishError(
            f"PostgreSQL publication to {target.safe_dsn} schema {target.schema} failed: {error}".strip()
        ) from error
    finally:
        conn.close()
    return counts


def _drop_quietly(conn, schema: str) -> None:
    from psycopg import sql

    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    except Exception:  # noqa: BLE001, S110 - the connection may be gone; the next run drops leftovers
        pass
