"""Quoting for the SQL the Python side writes (DuckDB): one place, used by ingestion, the quality
gate and publication. Values that come from data are bound as parameters where DuckDB allows it;
these are for what cannot be (identifiers, COPY targets, literals inside generated statements)."""


def q(name: str) -> str:
    """An identifier: main.x stays one name (quote each part yourself for schema-qualified)."""
    return '"' + str(name).replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """A schema-qualified identifier: qualified('main', 'fct_x') -> "main"."fct_x"."""
    return ".".join(q(p) for p in parts)


def lit(value) -> str:
    """A string literal."""
    return "'" + str(value).replace("'", "''") + "'"
