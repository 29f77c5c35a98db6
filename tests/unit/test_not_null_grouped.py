"""Not-null tests are one node per model (issue 15: dbt costs 25-30 ms a node whatever the data):
a column's plain `not_null` belongs in its model's `not_null_columns` test (a `not_null` with
config, such as a severity or `where`, stays on its column). `tools/group_not_null_tests.py`
moves them; every column a grouped test names must be a column of the model's YAML."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "dbt_project" / "models").rglob("*.yml")) + [ROOT / "seeds" / "_seeds.yml"]


def _models():
    for path in FILES:
        doc = yaml.safe_load(path.read_text()) or {}
        for section in ("models", "seeds"):
            for model in doc.get(section) or []:
                yield path.relative_to(ROOT), model


def test_no_plain_column_level_not_null():
    plain = [
        f"{path}: {model['name']}.{column['name']}"
        for path, model in _models()
        for column in model.get("columns") or []
        if "not_null" in (column.get("data_tests") or [])
    ]
    assert not plain, "run tools/group_not_null_tests.py on: " + ", ".join(plain)


def test_grouped_columns_are_columns_of_the_model():
    grouped = 0
    for path, model in _models():
        names = {c["name"] for c in model.get("columns") or []}
        for test in model.get("data_tests") or []:
            if isinstance(test, dict) and "not_null_columns" in test:
                columns = test["not_null_columns"]["arguments"]["columns"]
                grouped += 1
                assert columns and len(columns) == len(set(columns)), (path, model["name"])
                assert set(columns) <= names, (path, model["name"], set(columns) - names)
    assert grouped >= 180  # 188 models and seeds when the tests were grouped
