"""Feed ``run_suite`` from DuckDB one partition (e.g. one local authority) at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas


def _quote(identifier: str) -> str:
    """Quote a (possibly schema-qualified) identifier: main.fct_x -> "main"."fct_x"."""
    return ".".join('"' + part.replace('"', '""') + '"' for part in identifier.split("."))


def iter_partitions(
    connection: Any,
    table: str,
    by: str = "la_code",
    columns: Sequence[str] | None = None,
) -> Iterator[tuple[str, "pandas.DataFrame"]]:
    """Yield ``(value of by, DataFrame of that partition's rows)`` from a DuckDB table.

    Only one partition is pulled into memory at a time; rows are ordered by ``by`` values.
    A NULL partition value is yielded with the label ``"NULL"``. ``connection`` is a duckdb
    connection (e.g. from Dagster's DuckDBResource); ``table`` may be schema-qualified.
    """
    relation = _quote(table)
    key = _quote(by)
    select = ", ".join(_quote(c) for c in columns) if columns else "*"
    values = [
        row[0]
        for row in connection.execute(
            f"SELECT DISTINCT {key} FROM {relation} ORDER BY {key} NULLS LAST"
        ).fetchall()
    ]
    for value in values:
        if value is None:
            frame = connection.execute(f"SELECT {select} FROM {relation} WHERE {key} IS NULL").df()
            yield "NULL", frame
        else:
            frame = connection.execute(
                f"SELECT {select} FROM {relation} WHERE {key} = ?", [value]
            ).df()
            yield str(value), frame
