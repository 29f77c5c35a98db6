"""A model's plain column checks are one dbt node (issue 15: dbt costs 30-45 ms a node whatever
the data): a `not_null`, `unique` or `accepted_values` test without config belongs in the
model's `column_checks` test (dbt_project/tests/generic/column_checks.sql), and so does a
model-level `unique` over several plain columns (`la_code || '|' || child_key`). A test with
config (a severity, `where`, thresholds) stays a test of its own. Every column a grouped test
names must be a column of the model's YAML, and the test is named `column_checks_<model>`."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "dbt_project" / "models").rglob("*.yml")) + [ROOT / "seeds" / "_seeds.yml"]
GROUPED = ("not_null", "unique", "accepted_values")


def _models():
    for path in FILES:
        doc = yaml.safe_load(path.read_text()) or {}
        for section in ("models", "seeds"):
            for model in doc.get(section) or []:
                yield path.relative_to(ROOT), model


def _plain(test) -> str | None:
    """The test's name when it is one of GROUPED without config, else None."""
    if isinstance(test, str):
        return test if test in GROUPED else None
    if isinstance(test, dict) and len(test) == 1:
        ((name, spec),) = test.items()
        if name in GROUPED and set(spec or {}) <= {"arguments"}:
            return name
    return None


def test_no_plain_check_outside_column_checks():
    plain = [
        f"{path}: {model['name']}.{column['name']} {_plain(t)}"
        for path, model in _models()
        for column in model.get("columns") or []
        for t in column.get("data_tests") or []
        if _plain(t)
    ]
    plain += [
        f"{path}: {model['name']} unique {t['unique']['arguments']['column_name']}"
        for path, model in _models()
        for t in model.get("data_tests") or []
        if _plain(t) == "unique"
        and re.fullmatch(r"\w+( \|\| '\|' \|\| \w+)+", t["unique"]["arguments"]["column_name"])
    ]
    assert not plain, "declare these in the model's column_checks test: " + "; ".join(plain)


def test_grouped_columns_are_columns_of_the_model():
    grouped = 0
    for path, model in _models():
        names = {c["name"] for c in model.get("columns") or []}
        tests = [t for t in model.get("data_tests") or [] if isinstance(t, dict)]
        groups = [t["column_checks"] for t in tests if "column_checks" in t]
        assert len(groups) <= 1, (path, model["name"])  # one node per model
        for group in groups:
            # the name of the Dagster check and of the failing rows' view in schema audit
            assert group.get("name") == f"column_checks_{model['name']}", (path, model["name"])
            checks = group["arguments"]
            grouped += 1
            assert set(checks) <= set(GROUPED) and checks, (path, model["name"])
            keys = [[k] if isinstance(k, str) else k for k in checks.get("unique") or []]
            named = [*(checks.get("not_null") or []), *(checks.get("accepted_values") or {})]
            named += [c for key in keys for c in key]
            if names:  # a staging model may list few columns, or none (la_code is in every model)
                unknown = set(named) - names - {"la_code"}
                assert not unknown, (path, model["name"], unknown)
            assert len(checks.get("not_null") or []) == len(set(checks.get("not_null") or []))
            for column, values in (checks.get("accepted_values") or {}).items():
                assert values, (path, model["name"], column)
    assert grouped >= 190  # 193 models and seeds when unique and accepted_values were grouped
