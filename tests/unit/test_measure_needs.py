"""What each measure needs (seeds/kpi_catalogue.csv `needs`) and what can feed it
(seeds/fact_sources.csv) must fit together: a need that no source can feed would make its measure
not available everywhere, and a source that is not a contract table could never be delivered."""

import csv
import re
from pathlib import Path

from orchestration.lib.contract import load_contract

ROOT = Path(__file__).resolve().parents[2]
FEED = re.compile(r"^(dim|fct)_[a-z0-9_]+(:[a-z0-9_]+)?$")


def _rows(seed: str) -> list[dict]:
    with open(ROOT / "seeds" / f"{seed}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _needs() -> dict[str, list[str]]:
    return {row["kpi_id"]: row["needs"].split() for row in _rows("kpi_catalogue")}


def test_every_measure_needs_feeds_that_fact_sources_knows():
    feeds = {row["feed"] for row in _rows("fact_sources")}
    needs = _needs()
    assert needs and all(needs.values()), [k for k, v in needs.items() if not v]
    unknown = {kpi: [f for f in fs if f not in feeds] for kpi, fs in needs.items()}
    assert {k: v for k, v in unknown.items() if v} == {}
    # a need is listed once per measure (the reason lists each missing feed once)
    assert {k: v for k, v in needs.items() if len(set(v)) != len(v)} == {}


def test_every_feed_is_fed_by_contract_tables_and_named_like_a_conformed_model():
    contract = load_contract()
    rows = _rows("fact_sources")
    assert [r for r in rows if r["source_table"] not in contract] == []
    assert [r["feed"] for r in rows if not FEED.match(r["feed"])] == []
    pairs = [(r["feed"], r["source_table"]) for r in rows]
    assert len(pairs) == len(set(pairs))


def test_a_feed_names_a_conformed_model():
    """`fct_visits:cp` is a part of fct_visits: the model before the colon exists."""
    models = {p.stem for p in (ROOT / "dbt_project" / "models" / "conformed").glob("*.sql")}
    assert sorted({r["feed"].split(":")[0] for r in _rows("fact_sources")} - models) == []


def test_the_examples_of_the_issue():
    needs = _needs()
    assert needs["cp_visits_10wd"] == ["fct_cp_plans", "fct_visits:cp"]
    assert needs["unallocated_cases"] == [
        "fct_referrals",
        "fct_cp_plans",
        "fct_cla_episodes",
        "fct_allocations",
    ]
    sources = {(r["feed"], r["source_table"]) for r in _rows("fact_sources")}
    assert ("fct_visits:cp", "ssd_cp_visits") in sources and (
        "fct_allocations",
        "ssd_involvements",
    ) in sources
