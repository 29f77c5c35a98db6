"""The code-list seed and the extract contract must not drift apart: the loader quarantines codes
outside the contract's closed lists, and the conformed layer tests coded columns against the seed.
If they differed, a code could pass one and fail the other."""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _seed_rows():
    with open(ROOT / "seeds" / "code_lists.csv", newline="") as f:
        return list(csv.DictReader(f))


def _contract_code_columns() -> dict[str, set[str]]:
    with open(ROOT / "orchestration" / "contract" / "extract_contract.csv", newline="") as f:
        return {
            f"{row['table']}.{row['column']}": set(row["type"].removeprefix("code:").split(","))
            for row in csv.DictReader(f)
            if row["type"].startswith("code:")
        }


def test_every_contract_closed_list_is_a_seed_list_with_the_same_codes():
    seeded: dict[str, set[str]] = {}
    for row in _seed_rows():
        if row["contract_column"]:
            seeded.setdefault(row["contract_column"], set()).add(row["code"])
    assert seeded == _contract_code_columns()


def test_a_contract_column_maps_to_one_list_and_every_code_has_a_label():
    rows = _seed_rows()
    lists_per_column: dict[str, set[str]] = {}
    for row in rows:
        assert row["code"] == row["code"].strip() and row["code"], row
        assert row["label"].strip(), row
        if row["contract_column"]:
            lists_per_column.setdefault(row["contract_column"], set()).add(row["code_list"])
    assert all(len(lists) == 1 for lists in lists_per_column.values()), lists_per_column


def test_coded_columns_name_lists_that_exist():
    """Every in_code_list test in the dbt project names a list the seed holds (a typo would make
    the test compare against an empty list and fail every row, or worse, be edited away)."""
    import re

    lists = {row["code_list"] for row in _seed_rows()}
    named = set()
    for path in (ROOT / "dbt_project" / "models").rglob("*.yml"):
        named |= set(re.findall(r"in_code_list: \{arguments: \{code_list: (\w+)", path.read_text()))
    assert named, "no in_code_list tests found"
    assert named - lists == set()
