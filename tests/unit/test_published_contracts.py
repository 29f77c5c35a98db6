"""What BI reads is contracted: every table the publication step copies into the snapshot
(orchestration/defs/publish/assets.py) comes from a dbt model whose contract is enforced (names,
types and constraints checked by dbt on every build) or from a seed whose every column has a
declared type. dbt itself fails a build whose columns differ from the YAML; this test catches what
dbt allows: a published folder without a contract, a model that opts out, a new model or column
without YAML, a description copied instead of written once as a doc block."""

import ast
import csv
import re
from collections import Counter
from pathlib import Path

import yaml

from tests.conftest import on_duckdb

REPO = Path(__file__).resolve().parents[2]
DBT = REPO / "dbt_project"
MODELS = DBT / "models"
SEEDS = REPO / "seeds"
PUBLISH_ASSETS = REPO / "orchestration" / "defs" / "publish" / "assets.py"
DOC_REF = re.compile(r"^\{\{\s*doc\('(\w+)'\)\s*\}\}$")


def _project() -> dict:
    return yaml.safe_load((DBT / "dbt_project.yml").read_text())


def _publication() -> tuple[tuple[str, ...], list[str]]:
    """PUBLISHED_SCHEMAS and the relations of REFERENCE_TABLES and OPTIONAL_TABLES, read from the
    publication step's source (importing it would load Dagster and the dbt manifest)."""
    tree = ast.parse(PUBLISH_ASSETS.read_text())
    values = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    schemas = ast.literal_eval(values["PUBLISHED_SCHEMAS"])
    relations = [
        call.args[1].value
        for name in ("REFERENCE_TABLES", "OPTIONAL_TABLES")
        for call in values[name].elts
    ]
    return schemas, relations


def _folder_config(folder: str) -> dict:
    config = _project()["models"]["csc_warehouse"]
    for part in folder.split("/"):
        config = config[part]
    return config


def _folder_of_schema(schema: str) -> str:
    folders = [
        name
        for name, config in _project()["models"]["csc_warehouse"].items()
        if isinstance(config, dict) and config.get("+schema") == schema
    ]
    assert len(folders) == 1, f"one dbt folder builds schema {schema}: {folders}"
    return folders[0]


def _models_in(folder: str) -> dict[str, dict]:
    models = {}
    for path in sorted((MODELS / folder).rglob("_*.yml")):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            assert model["name"] not in models, f"{model['name']} documented twice"
            models[model["name"]] = model
    return models


def _published_models() -> dict[str, dict]:
    schemas, relations = _publication()
    models = {}
    for schema in schemas:
        models.update(_models_in(_folder_of_schema(schema)))
    for relation in relations:
        schema, name = relation.split(".")
        if schema in ("reference", "quality"):
            continue  # seeds (below) and tables the quality step writes in Python
        models[name] = _models_in(_folder_of_schema(schema))[name]
    return models


def _doc_blocks() -> dict[str, str]:
    blocks = {}
    for path in DBT.rglob("*.md"):
        for name, body in re.findall(
            r"\{%\s*docs\s+(\w+)\s*%\}(.*?)\{%\s*enddocs\s*%\}", path.read_text(), re.DOTALL
        ):
            assert name not in blocks, f"doc block {name} defined twice"
            blocks[name] = body.strip()
    return blocks


def test_the_published_kpi_schema_is_built_by_a_contracted_folder():
    schemas, _ = _publication()
    assert schemas == ("kpi",)
    for schema in schemas:
        folder = _folder_of_schema(schema)
        config = _folder_config(folder)
        # On DuckDB (the Spark build is compared with it instead: docs/scale.md)
        assert on_duckdb(config["+contract"]["enforced"]) == "True", folder
        # dbt enforces constraints on tables and incremental tables (built per authority:
        # macros/by_authority.sql), not on views.
        assert config["+materialized"] == "incremental", folder
        assert on_duckdb(config["+incremental_strategy"]) == "by_authority", folder


def test_every_published_model_has_yaml_and_enforces_its_contract():
    schemas, relations = _publication()
    for schema in schemas:
        folder = _folder_of_schema(schema)
        sql_models = {p.stem for p in (MODELS / folder).rglob("*.sql")}
        documented = _models_in(folder)
        assert sql_models - documented.keys() == set(), "published models without YAML"
        assert documented.keys() - sql_models == set(), "YAML for models that do not exist"
    for relation in relations:
        schema, _ = relation.split(".")
        if schema not in ("reference", "quality"):
            contract = _folder_config(_folder_of_schema(schema))["+contract"]
            assert on_duckdb(contract["enforced"]) == "True", relation
    for name, model in _published_models().items():
        config = model.get("config") or {}
        assert config.get("contract", {}).get("enforced", True), f"{name} opts out of its contract"
        assert config.get("materialized", "incremental") == "incremental", name
        assert (model.get("description") or "").strip(), f"{name} has no description"


def test_every_published_column_has_a_type_and_a_description():
    missing = [
        f"{name}.{column.get('name')}"
        for name, model in _published_models().items()
        for column in model.get("columns", [])
        if not column.get("data_type") or not str(column.get("description") or "").strip()
    ]
    assert missing == []


def test_every_published_authority_code_is_never_null():
    """la_code comes from the landing folder, never from the data: a published row without it
    is a bug in a model, and the constraint stops the build."""
    for name, model in _published_models().items():
        for column in model.get("columns", []):
            if column["name"] == "la_code":
                assert {"type": "not_null"} in (column.get("constraints") or []), name


def test_the_scorecard_vocabularies_are_constrained():
    columns = {c["name"]: c for c in _published_models()["kpi_scorecard"]["columns"]}
    expected = {
        "period_type": "period_type in ('month', 'quarter', 'year')",
        "breakdown": "breakdown in ('la', 'service_area', 'team')",
        "unit": "unit in ('percentage', 'count', 'rate_10k', 'ratio', 'mean')",
        "rag": "rag in ('Blue', 'Green', 'Amber', 'Red')",
        "direction": "direction in ('improving', 'unchanged', 'worsening')",
    }
    for column, expression in expected.items():
        assert {"type": "check", "expression": expression} in columns[column]["constraints"], column
    # the catalogue's units are the scorecard's (the seed's column_checks test checks the CSV)
    catalogue = [
        s
        for s in yaml.safe_load((SEEDS / "_seeds.yml").read_text())["seeds"]
        if s["name"] == "kpi_catalogue"
    ]
    checks = next(
        t["column_checks"]["arguments"]
        for t in catalogue[0]["data_tests"]
        if isinstance(t, dict) and "column_checks" in t
    )
    assert set(checks["accepted_values"]["unit"]) == {
        "percentage",
        "count",
        "rate_10k",
        "ratio",
        "mean",
    }
    with (SEEDS / "kpi_catalogue.csv").open() as f:
        assert {row["unit"] for row in csv.DictReader(f)} <= set(checks["accepted_values"]["unit"])


def test_every_column_of_a_published_seed_has_a_declared_type():
    _, relations = _publication()
    seeds_config = _project()["seeds"]["csc_warehouse"]
    published_seeds = [r.split(".")[1] for r in relations if r.startswith("reference.")]
    assert {"kpi_catalogue", "kpi_targets", "kpi_parameters", "england_comparators"} <= set(
        published_seeds
    )
    for seed in published_seeds:
        csv_path = SEEDS / f"{seed}.csv"
        if not csv_path.exists():
            continue  # an optional table the warehouse may not have
        with csv_path.open() as f:
            header = next(csv.reader(f))
        declared = (seeds_config.get(seed) or {}).get("+column_types", {})
        assert sorted(set(header) - declared.keys()) == [], (
            f"{seed}: columns without a declared type"
        )


def test_published_descriptions_are_written_once():
    """A description that several published columns share lives in one doc block; every doc()
    reference resolves and every block is used."""
    blocks = _doc_blocks()
    used, inline = set(), Counter()
    for name, model in _published_models().items():
        for column in model.get("columns", []):
            text = " ".join(str(column["description"]).split())
            ref = DOC_REF.match(text)
            if ref:
                assert ref.group(1) in blocks, (
                    f"{name}.{column['name']}: no doc block {ref.group(1)}"
                )
                used.add(ref.group(1))
            else:
                assert "doc(" not in text, f"{name}.{column['name']}: mixed text and doc()"
                inline[(column["name"], text)] += 1
    copied = {key: n for key, n in inline.items() if n > 1}
    assert copied == {}, "descriptions repeated instead of a doc block"
    block_texts = {" ".join(body.split()) for body in blocks.values()}
    assert [key for key in inline if key[1] in block_texts] == [], (
        "a doc block's text copied inline"
    )
    shared = set(re.findall(r"\{%\s*docs\s+(\w+)", (MODELS / "_columns.md").read_text()))
    assert shared - used == set(), "doc blocks no published column uses"
