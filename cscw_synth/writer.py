"""Render a table's columns to text in contract order and write it as CSV (DuckDB COPY)."""

from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from orchestration.lib.contract import Table
from orchestration.lib.sqltext import lit

from .render import render


def row_count(cols: dict) -> int:
    for v in cols.values():
        if v is not None:
            return len(v)
    return 0


def render_table(table: Table, cols: dict, rng: np.random.Generator, format_mix: float) -> pa.Table:
    unknown = set(cols) - {c.name for c in table.columns}
    if unknown:
        raise ValueError(f"{table.name}: columns not in the contract: {sorted(unknown)}")
    n = row_count(cols)
    arrays = []
    for col in table.columns:
        value = cols.get(col.name)
        if value is None and col.required:
            raise ValueError(f"{table.name}.{col.name} is required but not generated")
        arr = render(col.type, value, n, rng, format_mix)
        if len(arr) != n:
            raise ValueError(f"{table.name}.{col.name}: {len(arr)} values for {n} rows")
        arrays.append(arr)
    return pa.table(arrays, names=[c.name for c in table.columns])


def header_names(names: list[str], rng: np.random.Generator, format_mix: float) -> list[str]:
    """Lower-case headers, or (for a share format_mix of files) upper or title case."""
    if format_mix <= 0 or rng.random() >= format_mix:
        return list(names)
    return [n.upper() for n in names] if rng.random() < 0.5 else [n.title() for n in names]


class CsvWriter:
    """One in-memory DuckDB connection that writes Arrow tables as CSV (quotes only when needed)."""

    def __init__(self) -> None:
        self.con = duckdb.connect(":memory:")

    def write(self, tbl: pa.Table, path: Path, headers: list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tbl = tbl.rename_columns(headers)
        self.con.register("synth_out", tbl)
        try:
            self.con.execute(
                f"COPY synth_out TO {lit(path)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')"
            )
        finally:
            self.con.unregister("synth_out")

    def close(self) -> None:
        self.con.close()
