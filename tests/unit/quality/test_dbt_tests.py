"""dbt test outcomes recorded for the auditors' report, from a hand-made run_results.json and
manifest: a passing key test, a code-list warning with 3 failing rows, a singular test attached
by its dagster meta, an error that failed, and a model result (not a test, left out)."""

from orchestration.lib.quality.dbt_tests import dbt_test_rows
from orchestration.lib.quality.results import COLUMNS

MANIFEST = {"nodes": {
    "test.p.not_null_fct_visits_child_key": {
        "resource_type": "test", "name": "not_null_fct_visits_child_key", "column_name": "child_key",
        "attached_node": "model.p.fct_visits", "config": {"severity": "ERROR"},
        "test_metadata": {"name": "not_null", "kwargs": {"column_name": "child_key"}}},
    "test.p.in_code_list_fct_placements_placement_type": {
        "resource_type": "test", "name": "in_code_list_fct_placements_placement_type",
        "column_name": "placement_type", "attached_node": "model.p.fct_placements",
        "config": {"severity": "warn"}, "test_metadata": {"name": "in_code_list", "kwargs": {}}},
    "test.p.assert_units_unique": {
        "resource_type": "test", "name": "assert_units_unique", "config": {
            "severity": "ERROR", "meta": {"dagster": {"ref": {"name": "kpi_agency_rate_detail"}}}},
        "depends_on": {"nodes": ["model.p.kpi_agency_rate_detail", "model.p.kpi_vacancy_rate_detail"]},
        "description": "one row per unit"},
    "test.p.relationships_within_authority_fct_cla_reviews_team_id": {
        "resource_type": "test", "name": "relationships_within_authority_fct_cla_reviews_team_id",
        "column_name": "team_id", "attached_node": "model.p.fct_cla_reviews", "config": {"severity": "ERROR"},
        "test_metadata": {"name": "relationships_within_authority", "kwargs": {"column_name": "team_id"}}},
    "model.p.fct_visits": {"resource_type": "model", "name": "fct_visits"},
}}

RUN_RESULTS = {"results": [
    {"unique_id": "test.p.not_null_fct_visits_child_key", "status": "pass", "failures": 0, "message": None},
    {"unique_id": "test.p.in_code_list_fct_placements_placement_type", "status": "warn", "failures": 3,
     "message": "Got 3 results, configured to warn if != 0"},
    {"unique_id": "test.p.assert_units_unique", "status": "pass", "failures": 0, "message": None},
    {"unique_id": "test.p.relationships_within_authority_fct_cla_reviews_team_id", "status": "fail",
     "failures": 2, "message": "Got 2 results, configured to fail if != 0"},
    {"unique_id": "model.p.fct_visits", "status": "success", "failures": None, "message": "OK"},
]}


def _by_expectation():
    rows = [dict(zip(COLUMNS, r)) for r in dbt_test_rows(RUN_RESULTS, MANIFEST, "run-1")]
    return {(r["table_name"], r["expectation"]): r for r in rows}


def test_one_row_per_test_and_none_for_models():
    assert set(_by_expectation()) == {
        ("fct_visits", "not_null"), ("fct_placements", "in_code_list"),
        ("kpi_agency_rate_detail", "assert_units_unique"),
        ("fct_cla_reviews", "relationships_within_authority")}


def test_severity_success_and_failing_rows():
    rows = _by_expectation()
    passed = rows[("fct_visits", "not_null")]
    assert (passed["check_name"], passed["suite"], passed["la_code"], passed["column_name"]) == (
        "dbt_tests", "dbt", None, "child_key")
    assert (passed["severity"], passed["success"], passed["unexpected_count"], passed["observed"]) == (
        "critical", True, None, None)
    warned = rows[("fct_placements", "in_code_list")]
    assert (warned["severity"], warned["success"], warned["unexpected_count"]) == ("warning", False, 3)
    assert warned["observed"] == "warn: Got 3 results, configured to warn if != 0"
    failed = rows[("fct_cla_reviews", "relationships_within_authority")]
    assert (failed["severity"], failed["success"], failed["unexpected_count"]) == ("critical", False, 2)
    assert rows[("kpi_agency_rate_detail", "assert_units_unique")]["description"] == "one row per unit"

