"""Statutory returns in the landing area: SSDA903 (CSV tables or XML), the CIN census and the
workforce census (XML).

Everything about their shapes is data in `orchestration/contract/returns/`: which collection a
file is (`collections.csv`: XML root and collection element, the years whose mapping is known,
the XSD of a year), which 903 table a CSV is (`tables.csv` file names, or the table's exact
column set from the contract), and how an XML document becomes contract tables
(`xml_records.csv`: one XPath per record and per column). Rows are then loaded like any
extract: typed by the contract, pseudonymised, quarantined with a reason.

XML is parsed with entity resolution, DTD loading and network access off, and refused outright
if it declares a DTD (entity bombs and external entities need one), is larger than the
configured bound or is not well formed: nothing of such a file loads.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from lxml import etree

from orchestration.lib.contract import CONTRACT_DIR, load_contract

RETURNS_DIR = CONTRACT_DIR / "returns"
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
PROLOG_BYTES = 1 << 16  # a DTD can only come before the root element
XML_LINE = "_xml_line"  # columns the flattener adds to every record
XML_PROBLEMS = "_xml_problems"


class ReturnFileError(Exception):
    """A return file that cannot be used at all; nothing of it is loaded."""


@dataclass(frozen=True)
class Collection:
    name: str
    root: str
    collection_element: str
    collection_value: str
    year_elements: tuple[str, ...]
    first_known_year: int
    last_known_year: int
    xsd_file: str


@dataclass(frozen=True)
class XmlColumn:
    column: str
    xpath: etree.XPath


@dataclass(frozen=True)
class XmlRecord:
    collection: str
    unit: str
    table: str
    record: etree.XPath
    columns: tuple[XmlColumn, ...]


def _rows(name: str) -> list[dict[str, str]]:
    with open(RETURNS_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def collections() -> dict[str, Collection]:
    out = {}
    for r in _rows("collections.csv"):
        first, _, last = r["known_years"].partition("-")
        out[r["collection"]] = Collection(
            r["collection"],
            r["root"],
            r["collection_element"],
            r["collection_value"],
            tuple(r["year_from"].split()),
            int(first),
            int(last),
            r["xsd_file"],
        )
    return out


@cache
def return_tables() -> dict[str, str]:
    """Contract table -> collection, for every table a return can feed."""
    return {r["table"]: r["collection"] for r in _rows("tables.csv")}


@cache
def _csv_names() -> dict[str, str]:
    return {name: r["table"] for r in _rows("tables.csv") for name in r["file_names"].split()}


@cache
def xml_records() -> tuple[XmlRecord, ...]:
    grouped: dict[tuple[str, str, str, str], list[XmlColumn]] = {}
    for r in _rows("xml_records.csv"):
        key = (r["collection"], r["unit"], r["table"], r["record"])
        grouped.setdefault(key, []).append(XmlColumn(r["column"], etree.XPath(r["value"])))
    return tuple(
        XmlRecord(c, u, t, etree.XPath(rec), tuple(cols))
        for (c, u, t, rec), cols in grouped.items()
    )


def collection_year(extract_date: date) -> int:
    """The return year a drop most likely holds: years end on 31 March (2024 = 2023-24)."""
    return (
        extract_date.year
        if (extract_date.month, extract_date.day) >= (4, 1)
        else extract_date.year - 1
    )


@dataclass(frozen=True)
class Recognised:
    collection: str
    tables: tuple[str, ...]
    year: int | None
    how: str  # what the recognition rested on, for the load log
    year_from: str = ""


def recognise_csv(path: Path, extract_date: date) -> Recognised | None:
    """A 903 table by its file name (`header.csv`, `SSDA903_2024_episodes.csv`) or, failing that,
    by its header holding every column of exactly one 903 table (the largest that fits)."""
    stem = path.stem.lower()
    name_year = YEAR_IN_NAME.search(stem)
    year, year_from = (
        (int(name_year.group(1)), "file name")
        if name_year
        else (collection_year(extract_date), "extract date")
    )
    words = re.sub(r"(?i)ssda?903|(?<!\d)20\d\d(?!\d)", " ", stem)
    words = "_".join(w for w in re.split(r"[^a-z0-9]+", words) if w)
    if words in _csv_names():
        return Recognised("ssda903", (_csv_names()[words],), year, "file name", year_from)
    header = _csv_header(path)
    if not header:
        return None
    contract = load_contract()
    fits = [
        t
        for t, c in return_tables().items()
        if c == "ssda903"
        and {h for col in contract[t].columns for _, h in col.headers()[:1]} <= header
    ]
    if not fits:
        return None
    best = max(fits, key=lambda t: len(contract[t].columns))
    return Recognised("ssda903", (best,), year, "column set", year_from)


def _csv_header(path: Path) -> set[str]:
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            first = next(csv.reader([f.readline()]), [])
    except OSError:
        return set()
    return {h.strip().lower() for h in first if h.strip()}


def _parser(**extra) -> dict:
    return dict(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        **extra,
    )


def recognise_xml(path: Path, extract_date: date) -> Recognised | None:
    """The collection of an XML file from its root element and collection header, reading only
    the start of the document (entities are never expanded here)."""
    root, texts = None, {}
    wanted = {
        e for c in collections().values() for e in (c.collection_element, *c.year_elements) if e
    }
    stack: list[str] = []
    try:
        for event, el in etree.iterparse(str(path), events=("start", "end"), **_parser()):
            if event == "start":
                stack.append(el.tag if isinstance(el.tag, str) else "")
                if root is None:
                    root = stack[0]
                if len(stack) > 2 and stack[1] not in ("Header", "HEADER"):
                    break
            else:
                rel = "/".join(stack[1:])
                if rel in wanted:
                    texts[rel] = (el.text or "").strip()
                stack.pop()
                if len(stack) == 1 and el.tag in ("Header", "HEADER"):
                    break
    except etree.XMLSyntaxError:
        pass  # recognised as far as it was read; loading says what is wrong with it
    for c in collections().values():
        if root != c.root or (
            c.collection_element and texts.get(c.collection_element) != c.collection_value
        ):
            continue
        year, year_from = collection_year(extract_date), "extract date"
        for element in c.year_elements:
            found = YEAR_IN_NAME.search(texts.get(element, ""))
            if found:
                year, year_from = int(found.group(1)), element.rsplit("/", 1)[-1]
                break
        tables = tuple(dict.fromkeys(r.table for r in xml_records() if r.collection == c.name))
        return Recognised(
            c.name,
            tables,
            year,
            f"XML root {root}" + (f", {c.collection_value}" if c.collection_value else ""),
            year_from,
        )
    return None


@dataclass
class Flattened:
    """An XML return turned into one CSV per contract table (with the XML line of each record)."""

    csv_paths: dict[str, Path] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def check_safe(path: Path, max_bytes: int) -> None:
    size = path.stat().st_size
    if size > max_bytes:
        raise ReturnFileError(
            f"XML of {size:,} bytes is over the bound of {max_bytes:,} (CSCW_XML_MAX_MB): not parsed"
        )
    with open(path, "rb") as f:
        prolog = f.read(PROLOG_BYTES)
    if re.search(rb"<!DOCTYPE|<!ENTITY", prolog, re.IGNORECASE):
        raise ReturnFileError(
            "XML declares a DTD or entities (<!DOCTYPE / <!ENTITY): refused, nothing loaded "
            "(returns never need one; entity expansion and external entities are an attack)"
        )


def parse_safely(path: Path, max_bytes: int) -> etree._ElementTree:
    check_safe(path, max_bytes)
    try:
        tree = etree.parse(str(path), etree.XMLParser(**_parser(remove_blank_text=False)))
    except etree.XMLSyntaxError as e:
        raise ReturnFileError(
            f"not well-formed XML (line {e.lineno}, column {e.offset}): {e.msg}; nothing loaded"
        ) from e
    if tree.docinfo.doctype:
        raise ReturnFileError("XML declares a DTD: refused, nothing loaded")
    return tree


def schema_problems(tree: etree._ElementTree, xsd: Path | None) -> tuple[dict, list[str]]:
    """Validate against the XSD of the census year: problems by the element they are on (assigned
    to records by `flatten`), and notes on the document."""
    if xsd is None:
        return {}, []
    try:
        schema = etree.XMLSchema(etree.parse(str(xsd), etree.XMLParser(**_parser())))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as e:
        return {}, [f"XSD {xsd.name} could not be read ({e}): not validated"]
    schema.validate(tree)
    by_element: dict = {}  # lxml keeps one proxy per node while it is referenced: a sound key
    for entry in schema.error_log:
        found = tree.xpath(entry.path) if entry.path else []
        by_element.setdefault(found[0] if found else None, []).append(
            f"XSD line {entry.line}: {entry.message}"
        )
    return by_element, [f"validated against {xsd.name}: {len(schema.error_log)} schema problem(s)"]


def flatten(
    path: Path, collection: str, out_dir: Path, max_bytes: int, xsd: Path | None
) -> Flattened:
    """One CSV per contract table of the collection; every record keeps the line of its element
    and the schema problems of the elements it owns (the innermost record around them)."""
    tree = parse_safely(path, max_bytes)
    problems, notes = schema_problems(tree, xsd)
    result = Flattened(notes=notes)
    specs = [r for r in xml_records() if r.collection == collection]
    rows: dict[str, list[list[str]]] = {s.table: [] for s in specs}
    elements: dict[str, list] = {s.table: [] for s in specs}
    root = tree.getroot()
    for spec in specs:
        for unit in root.iter(spec.unit):
            for record in spec.record(unit):
                values = []
                for col in spec.columns:
                    found = col.xpath(record)
                    texts = [(x.text or "") if hasattr(x, "text") else str(x) for x in found]
                    values.append(",".join(t.strip() for t in texts if t.strip()))
                rows[spec.table].append(values)
                elements[spec.table].append(record)
    record_problems: dict[tuple[str, int], list[str]] = {}
    if problems:
        index = {}
        for spec in reversed(specs):  # where tables share a record element, the first one owns it
            for i, el in enumerate(elements[spec.table]):
                index[el] = (spec.table, i)
        for el, messages in problems.items():
            key = next(
                (
                    index[a]
                    for a in ([el, *el.iterancestors()] if el is not None else [])
                    if a in index
                ),
                None,
            )
            if key is None:
                result.notes.extend(f"{m} (outside any record)" for m in messages)
            else:
                record_problems.setdefault(key, []).extend(messages)
    for spec in specs:
        target = out_dir / f"{spec.table}.csv"
        with open(target, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow([c.column for c in spec.columns] + [XML_LINE, XML_PROBLEMS])
            for i, (values, el) in enumerate(zip(rows[spec.table], elements[spec.table])):
                w.writerow(
                    values + [el.sourceline, " | ".join(record_problems.get((spec.table, i), []))]
                )
        result.csv_paths[spec.table] = target
        result.records[spec.table] = len(rows[spec.table])
    return result


def unknown_year_note(collection: str, year: int | None) -> str | None:
    c = collections()[collection]
    if year is not None and year > c.last_known_year:
        return (
            f"return year {year} is newer than the mappings known for {collection} "
            f"({c.first_known_year}-{c.last_known_year}): loaded what matches, check the new year's changes"
        )
    if year is not None and year < c.first_known_year:
        return f"return year {year} is older than the mappings known for {collection} ({c.first_known_year}-{c.last_known_year})"
    return None


def xsd_for(collection: str, year: int | None, schemas_dir: Path | None) -> Path | None:
    c = collections()[collection]
    if not c.xsd_file or schemas_dir is None or year is None:
        return None
    candidate = schemas_dir / c.xsd_file.format(year=year)
    return candidate if candidate.is_file() else None
