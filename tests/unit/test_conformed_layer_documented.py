"""The conformed layer is the promise analysts join against: every model is in a YAML file, its
contract is enforced, and every column has a type and a description. dbt itself fails a build
whose columns differ from the YAML (enforced contract); this test catches what dbt allows, an
undocumented model or a column with an empty description."""

from pathlib import Path

import yaml

from tests.conftest import on_duckdb

DBT = Path(__file__).resolve().parents[2] / "dbt_project"
CONFORMED = DBT / "models" / "conformed"


def _documented_models() -> dict[str, dict]:
    models = {}
    for path in sorted(CONFORMED.glob("_*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            assert model["name"] not in models, f"{model['name']} documented twice"
            models[model["name"]] = model
    return models


def test_every_conformed_model_is_documented():
    sql_models = {p.stem for p in CONFORMED.glob("*.sql")}
    documented = _documented_models()
    assert sql_models - documented.keys() == set(), "models without YAML"
    assert documented.keys() - sql_models == set(), "YAML for models that do not exist"
    for name, model in documented.items():
        assert (model.get("description") or "").strip(), f"{name} has no description"


def test_every_conformed_column_has_a_type_and_a_description():
    missing = [
        f"{name}.{column.get('name')}"
        for name, model in _documented_models().items()
        for column in model.get("columns", [])
        if not column.get("data_type") or not str(column.get("description") or "").strip()
    ]
    assert missing == []


def test_conformed_contracts_are_enforced():
    project = yaml.safe_load((DBT / "dbt_project.yml").read_text())
    conformed = project["models"]["csc_warehouse"]["conformed"]
    assert on_duckdb(conformed["+contract"]["enforced"]) == "True"
    # a model may not opt out
    for name, model in _documented_models().items():
        assert (model.get("config") or {}).get("contract", {}).get("enforced", True), name


def test_dim_child_collects_unknown_members_from_every_fact_naming_a_child():
    """dim_child lists the facts whose child keys must resolve; a new fact with a child_key that
    is not on that list could name a child dim_child does not hold."""
    import re

    sql = (CONFORMED / "dim_child.sql").read_text()
    listed = set(re.findall(r"'(fct_\w+)'", sql.split("%}", 1)[0]))
    with_child = {
        name
        for name, model in _documented_models().items()
        if any(c["name"] == "child_key" for c in model.get("columns", []))
    }
    # derived from facts already listed: periods of care (episodes), child status (referrals,
    # plans, episodes, legal statuses, allocations)
    derived = {
        "dim_child",
        "fct_periods_of_care",
        "fct_child_status_intervals",
        "fct_child_status_month_end",
    }
    assert listed == with_child - derived
