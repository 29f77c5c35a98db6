"""The input contract: one machine-readable copy of `extract_contract.csv`, read once.

Everything that depends on the shape of council extracts (the loader, the generator, the dbt
sources) is driven from here, so a contract change is a one-file change.
"""

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "contract" / "extract_contract.csv"

PERSON_TABLE = "ssd_person"
PERSON_ID = "pers_person_id"


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type: str  # string | flag | date | datetime | integer | decimal | code
    codes: tuple[str, ...] = ()
    primary_key: bool = False
    foreign_key: ForeignKey | None = None
    required: bool = False
    pii: str = ""  # "" | "direct" | "quasi"

    @property
    def is_direct_pii(self) -> bool:
        return self.pii == "direct"

    @property
    def is_person_id(self) -> bool:
        """A column that holds a child's case-management person identifier."""
        if self.table == PERSON_TABLE and self.name == PERSON_ID:
            return True
        fk = self.foreign_key
        return fk is not None and fk.table == PERSON_TABLE and fk.column == PERSON_ID


@dataclass(frozen=True)
class Table:
    name: str
    source: str  # SSD | EXT
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.primary_key)

    @property
    def foreign_keys(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.foreign_key is not None)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")


def _parse_row(row: dict[str, str]) -> Column:
    kind, _, codes = row["type"].partition(":")
    keys = [k.strip() for k in row["key"].split(",") if k.strip()]
    fk = None
    for k in keys:
        if k.startswith("fk:"):
            t, _, c = k[3:].partition(".")
            fk = ForeignKey(t, c)
    return Column(
        table=row["table"],
        name=row["column"].lower(),
        type=kind,
        codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
        primary_key="pk" in keys,
        foreign_key=fk,
        required=row["required"].strip().lower() == "yes",
        pii=row["pii"].strip().lower(),
    )


@cache
def load_contract(path: Path = CONTRACT_PATH) -> dict[str, Table]:
    """Tables of the contract by name, columns in contract order."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    tables: dict[str, list[Column]] = {}
    sources: dict[str, str] = {}
    for row in rows:
        tables.setdefault(row["table"], []).append(_parse_row(row))
        sources[row["table"]] = row["source"]
    return {name: Table(name, sources[name], tuple(cols)) for name, cols in tables.items()}


def load_order(contract: dict[str, Table]) -> list[str]:
    """Tables ordered so that every foreign key's parent comes first where possible.

    The contract has one cycle (cla episodes <-> placements); tables in a cycle are kept in
    contract order, and their foreign keys are checked after both are read.
    """
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for col in contract[name].foreign_keys:
            parent = col.foreign_key.table
            if parent != name and parent in contract:
                visit(parent)
        visiting.discard(name)
        order.append(name)

    for name in contract:
        visit(name)
    return order
