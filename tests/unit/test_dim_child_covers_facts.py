"""dim_child gives an inferred member to every child a fact names (no fact row loses its child),
so its list of facts naming children must hold every conformed fact that reads child rows from
the sources. A fact derived only from other conformed facts (status intervals, periods of care)
names no child they do not. A new fact with a child_key that is left out of the list fails here,
not later as an orphan key in BI."""

import re
from pathlib import Path

import yaml

CONFORMED = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "conformed"
READS_SOURCE_ROWS = re.compile(r"ref\('(stg_\w+|int_\w+__sources)'\)")


def _facts_with_child_key() -> set[str]:
    facts = set()
    for path in CONFORMED.glob("_*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            columns = {column["name"] for column in model.get("columns", [])}
            if model["name"].startswith("fct_") and "child_key" in columns:
                facts.add(model["name"])
    return facts


def _listed_in_dim_child() -> set[str]:
    sql = (CONFORMED / "dim_child.sql").read_text()
    listing = re.search(r"facts_naming_children = \[(.*?)\]", sql, re.DOTALL)
    assert listing, "dim_child.sql no longer sets facts_naming_children"
    return set(re.findall(r"'(fct_\w+)'", listing.group(1)))


def test_every_fact_reading_child_rows_from_the_sources_is_in_dim_childs_list():
    reading_sources = {
        fact
        for fact in _facts_with_child_key()
        if READS_SOURCE_ROWS.search((CONFORMED / f"{fact}.sql").read_text())
    }
    assert reading_sources - _listed_in_dim_child() == set()


def test_dim_childs_list_names_only_facts_with_a_child_key():
    assert _listed_in_dim_child() - _facts_with_child_key() == set()


def test_the_derived_facts_read_no_source_rows():
    # by hand: these three are built from conformed facts only, so need no place in the list
    for fact in ("fct_child_status_intervals", "fct_child_status_month_end", "fct_periods_of_care"):
        assert not READS_SOURCE_ROWS.search((CONFORMED / f"{fact}.sql").read_text()), fact
