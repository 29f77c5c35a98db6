"""Clean output: every contract table, exactly the contract's columns, keys unique, foreign keys
resolving, required values present, codes in their lists, dates and flags in the default forms.

Checked by reading the CSV files with the csv module, not through the generator's internals.
"""

import csv
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from cscw_synth import generate
from orchestration.lib.contract import extract_contract

END = date(2025, 3, 31)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    report = generate(out, authorities=2, years=2, end_date=END, seed=3, children=6000)
    return out, report


def test_layout_and_report(landing):
    out, report = landing
    contract = extract_contract()
    assert report.authorities == ["884", "801"]
    assert report.manifest_path is None and not (out / "faults_manifest.csv").exists()
    assert report.files == 2 * len(contract)
    for la in report.authorities:
        folder = out / la / "2025-03-31"
        assert sorted(p.stem for p in folder.glob("*.csv")) == sorted(contract)
    total = {}
    for la in report.authorities:
        for name in contract:
            _, rows = read(out / la / "2025-03-31" / f"{name}.csv")
            total[name] = total.get(name, 0) + len(rows)
    assert total == report.rows_by_table


def test_every_table_has_contract_columns_and_rows(landing):
    out, _ = landing
    for name, table in extract_contract().items():
        path = out / "884" / "2025-03-31" / f"{name}.csv"
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM by default"
        raw.decode("utf-8")
        header, rows = read(path)
        assert header == [c.name for c in table.columns], name
        assert rows, f"{name} is empty"
        # one physical line per record: no line breaks inside fields
        assert raw.count(b"\n") == len(rows) + 1, name


def _parse_date(value: str):
    if ISO_DATE.match(value):
        return date.fromisoformat(value)
    if ISO_DATETIME.match(value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    raise AssertionError(f"not a default date form: {value!r}")


@pytest.mark.parametrize("la", ["884", "801"])
def test_values_keys_and_codes(landing, la):
    out, _ = landing
    contract = extract_contract()
    data = {name: read(out / la / "2025-03-31" / f"{name}.csv") for name in contract}
    values = {}
    for name, (header, rows) in data.items():
        for i, col in enumerate(header):
            values[(name, col)] = [r[i] for r in rows]
    for name, table in contract.items():
        header, rows = data[name]
        assert all(len(r) == len(header) for r in rows), name
        pk = table.primary_key
        keys = [tuple(values[(name, c)][k] for c in pk) for k in range(len(rows))]
        assert len(set(keys)) == len(keys), f"{name}: duplicate primary keys"
        for col in table.columns:
            vals = values[(name, col.name)]
            filled = [v for v in vals if v != ""]
            if col.required or col.primary_key:
                assert len(filled) == len(vals), f"{name}.{col.name} has blanks"
            if col.type == "code":
                assert set(filled) <= set(col.codes), (
                    f"{name}.{col.name}: {set(filled) - set(col.codes)}"
                )
            if col.type == "flag":
                assert set(filled) <= {"Y", "N"}, f"{name}.{col.name}"
            if col.type in ("date", "datetime"):
                for v in filled:
                    d = _parse_date(v)
                    if col.type == "date":
                        assert ISO_DATE.match(v), f"{name}.{col.name}: {v}"
                    day = d.date() if isinstance(d, datetime) else d
                    assert day.year >= 1990, f"{name}.{col.name}: {v}"
                    # only due and target dates may lie after the extract date
                    if "due" not in col.name and "target" not in col.name:
                        assert day <= END, f"{name}.{col.name}: {v}"
            if col.type == "integer":
                assert all(re.fullmatch(r"-?\d+", v) for v in filled), f"{name}.{col.name}"
            if col.type == "decimal":
                assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in filled), f"{name}.{col.name}"
            if col.foreign_key is not None:
                parent = set(values[(col.foreign_key.table, col.foreign_key.column)])
                missing = set(filled) - parent
                assert not missing, f"{name}.{col.name} -> {col.foreign_key}: {sorted(missing)[:5]}"


def test_identifiers_and_names_are_synthetic(landing):
    out, _ = landing
    _, people = read(out / "884" / "2025-03-31" / "ssd_person.csv")
    ids = [r[0] for r in people]
    assert all(re.fullmatch(r"P\d{7}", i) for i in ids)
    real_names = {
        "Oliver",
        "Amelia",
        "George",
        "Olivia",
        "Jack",
        "Isla",
        "Smith",
        "Jones",
        "Williams",
        "Taylor",
        "Brown",
        "Davies",
        "Mohammed",
        "Emily",
        "Harry",
        "Sophie",
    }
    forenames = {r[1] for r in people}
    surnames = {r[2] for r in people}
    assert not (forenames | surnames) & real_names
    assert len(forenames) <= 50 and len(surnames) <= 50
    _, profs = read(out / "884" / "2025-03-31" / "ssd_professionals.csv")
    assert not {w for r in profs for w in r[2].split()} & real_names


def test_population_and_departments(landing):
    out, _ = landing
    _, pop = read(out / "884" / "2025-03-31" / "ext_population.csv")
    years = sorted(int(r[0]) for r in pop)
    assert years == [2023, 2024, 2025]
    assert all(5000 < int(r[1]) < 7000 for r in pop)
    _header, dept = read(out / "884" / "2025-03-31" / "ssd_department.csv")
    parents = {r[0] for r in dept if r[2] == ""}
    teams = [r for r in dept if r[2] != ""]
    assert len(parents) >= 9 and teams
    assert all(r[2] in parents for r in teams)
    area_names = " ".join(r[1] for r in dept if r[0] in parents).lower()
    for word in (
        "mash",
        "assessment",
        "need",
        "protection",
        "looked after",
        "16+",
        "disabled",
        "reviewing",
        "business",
    ):
        assert word in area_names


def test_authority_sizes(tmp_path):
    """Without `children`, 884 is Herefordshire-sized and others lie between 20,000 and 250,000."""
    from cscw_synth import authority_size

    assert authority_size("884", 1) == 36_000
    sizes = [authority_size(str(c), 1) for c in range(801, 841)]
    assert all(20_000 <= s <= 250_000 for s in sizes)
    assert len(set(sizes)) > 30
