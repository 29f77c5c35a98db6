"""The input contract: one machine-readable copy of `extract_contract.csv`, read once.

Everything that depends on the shape of council extracts (the loader, the generator, the dbt
sources) is driven from here, so a contract change is a one-file change. The contract follows
the SSD as the v1.4.5 deployment scripts build it (orchestration/contract/README.md).
"""

import csv
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CONTRACT_DIR = Path(__file__).resolve().parent.parent / "contract"
CONTRACT_PATH = CONTRACT_DIR / "extract_contract.csv"
CONVENTIONS_PATH = CONTRACT_DIR / "value_conventions.csv"

PERSON_TABLE = "ssd_person"
PERSON_ID = "pers_person_id"
CANONICAL_NAMING = "ssd"  # the SSD v1.4.5 deployment scripts' column names


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
    alternate_key: bool = False  # another id of the same entity (prof_staff_id)
    ordered: bool = False  # an identifier whose source order is kept as a rank (lib/ingest/sql.py)
    foreign_key: ForeignKey | None = None
    required: bool = False
    pii: str = ""  # "" | "direct" | "quasi"
    identifies: str = ""  # entity kind of an identifier: pseudonymised at the raw boundary
    aliases: tuple[tuple[str, str], ...] = ()  # (naming, header) of other scripts
    child_from: str = ""  # reference column whose parent row gives the child when this is absent

    @property
    def is_direct_pii(self) -> bool:
        return self.pii == "direct"

    @property
    def is_person_id(self) -> bool:
        """A column that holds a child's case-management person identifier."""
        return self.identifies == "person"

    @property
    def is_reference(self) -> bool:
        """A column pointing at another record: `-1` / `0` there mean "none"."""
        return not self.primary_key and (self.foreign_key is not None or bool(self.identifies))

    def headers(self) -> tuple[tuple[str, str], ...]:
        """(naming, header) pairs this column is recognised by, the SSD's own name first."""
        return ((CANONICAL_NAMING, self.name),) + self.aliases


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

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """What raw keeps: everything but direct identifiers (those go to the restricted schema)."""
        return tuple(c for c in self.columns if not c.is_direct_pii)

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
    aliases = tuple(tuple(a.strip().split(":", 1)) for a in row["aliases"].split(";") if a.strip())
    return Column(
        table=row["table"],
        name=row["column"].lower(),
        type=kind,
        codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
        primary_key="pk" in keys,
        alternate_key="ak" in keys,
        ordered="ordered" in keys,
        foreign_key=fk,
        required=row["required"].strip().lower() == "yes",
        pii=row["pii"].strip().lower(),
        identifies=row["identifies"].strip(),
        aliases=tuple((naming, header.lower()) for naming, header in aliases),
        child_from=row["child_from"].strip().lower(),
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


# Sources of the statutory returns (orchestration/contract/returns/README.md); the rest of the
# contract (SSD, EXT) is what case-management extracts hold.
RETURN_SOURCES = ("SSDA903", "CIN", "CSWW")


def extract_contract() -> dict[str, Table]:
    """The case-management extract tables (SSD and local extracts), without the returns."""
    return {n: t for n, t in load_contract().items() if t.source not in RETURN_SOURCES}


@dataclass(frozen=True)
class ValueConventions:
    """How councils' exports spell "nothing" (contract/value_conventions.csv)."""

    null_tokens: tuple[str, ...]
    sentinel_dates: tuple[str, ...]
    placeholder_ids: tuple[str, ...]
    direct_identifier: re.Pattern

    def is_direct_identifier(self, header: str) -> bool:
        return bool(self.direct_identifier.search(header.strip().lower()))


@cache
def value_conventions(path: Path = CONVENTIONS_PATH) -> ValueConventions:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    def values(kind: str) -> tuple[str, ...]:
        return tuple(r["value"].strip() for r in rows if r["kind"] == kind)

    pattern = "|".join(f"(?:{p})" for p in values("direct_identifier"))
    return ValueConventions(
        values("null_token"),
        values("sentinel_date"),
        values("placeholder_id"),
        re.compile(pattern, re.IGNORECASE),
    )


def contract_fingerprint() -> str:
    """Changes with the contract, the value conventions or the returns' mappings: each changes
    what raw holds."""
    h = hashlib.sha256()
    for path in (
        CONTRACT_PATH,
        CONVENTIONS_PATH,
        *sorted((CONTRACT_DIR / "returns").glob("*.csv")),
    ):
        h.update(path.read_bytes())
    return h.hexdigest()


def person_column(table: Table) -> Column | None:
    """The column naming the child a row is about (the primary key of ssd_person itself)."""
    return next(
        (c for c in table.columns if c.is_person_id and (c.primary_key or c.foreign_key)), None
    )


def load_order(contract: dict[str, Table]) -> list[str]:
    """Tables ordered so that every foreign key's parent comes first where possible.

    The contract has one cycle (cla episodes <-> placements); tables in a cycle are kept in
    contract order.
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
