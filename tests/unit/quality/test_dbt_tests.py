"""dbt test outcomes recorded for the auditors' report and the gate, from a hand-made
run_results.json and manifest: a passing key test, a code-list warning with 3 failing rows, a
singular test attached by its dagster meta, an error that failed, and a model result (not a
test, left out); then failing tests judged per authority from their stored failing rows."""

import duckdb
import pytest

from orchestration.lib.quality.dbt_tests import dbt_test_rows
from orchestration.lib.quality.results import COLUMNS

MANIFEST = {
    "nodes": {
        "test.p.not_null_fct_visits_child_key": {
            "resource_type": "test",
            "name": "not_null_fct_visits_child_key",
            "column_name": "child_key",
            "attached_node": "model.p.fct_visits",
            "config": {"severity": "ERROR"},
            "test_metadata": {"name": "not_null", "kwargs": {"column_name": "child_key"}},
        },
        "test.p.in_code_list_fct_placements_placement_type": {
            "resource_type": "test",
            "name": "in_code_list_fct_placements_placement_type",
            "column_name": "placement_type",
            "attached_node": "model.p.fct_placements",
            "config": {"severity": "warn"},
            "test_metadata": {"name": "in_code_list", "kwargs": {}},
        },
        "test.p.assert_units_unique": {
            "resource_type": "test",
            "name": "assert_units_unique",
            "config": {
                "severity": "ERROR",
                "meta": {"dagster": {"ref": {"name": "kpi_agency_rate_detail"}}},
            },
            "depends_on": {
                "nodes": ["model.p.kpi_agency_rate_detail", "model.p.kpi_vacancy_rate_detail"]
            },
            "description": "one row per unit",
        },
        "test.p.relationships_within_authority_fct_cla_reviews_team_id": {
            "resource_type": "test",
            "name": "relationships_within_authority_fct_cla_reviews_team_id",
            "column_name": "team_id",
            "attached_node": "model.p.fct_cla_reviews",
            "config": {"severity": "ERROR"},
            "test_metadata": {
                "name": "relationships_within_authority",
                "kwargs": {"column_name": "team_id"},
            },
        },
        "model.p.fct_visits": {"resource_type": "model", "name": "fct_visits"},
    }
}

RUN_RESULTS = {
    "results": [
        {
            "unique_id": "test.p.not_null_fct_visits_child_key",
            "status": "pass",
            "failures": 0,
            "message": None,
        },
        {
            "unique_id": "test.p.in_code_list_fct_placements_placement_type",
            "status": "warn",
            "failures": 3,
            "message": "Got 3 results, configured to warn if != 0",
        },
        {
            "unique_id": "test.p.assert_units_unique",
            "status": "pass",
            "failures": 0,
            "message": None,
        },
        {
            "unique_id": "test.p.relationships_within_authority_fct_cla_reviews_team_id",
            "status": "fail",
            "failures": 2,
            "message": "Got 2 results, configured to fail if != 0",
        },
        {"unique_id": "model.p.fct_visits", "status": "success", "failures": None, "message": "OK"},
    ]
}


def _by_expectation():
    rows = [dict(zip(COLUMNS, r)) for r in dbt_test_rows(RUN_RESULTS, MANIFEST, "run-1")]
    return {(r["table_name"], r["expectation"]): r for r in rows}


def test_one_row_per_test_and_none_for_models():
    assert set(_by_expectation()) == {
        ("fct_visits", "not_null"),
        ("fct_placements", "in_code_list"),
        ("kpi_agency_rate_detail", "assert_units_unique"),
        ("fct_cla_reviews", "relationships_within_authority"),
    }


def test_severity_success_and_failing_rows():
    rows = _by_expectation()
    passed = rows[("fct_visits", "not_null")]
    assert (passed["check_name"], passed["suite"], passed["la_code"], passed["column_name"]) == (
        "dbt_tests",
        "dbt",
        None,
        "child_key",
    )
    assert (
        passed["severity"],
        passed["success"],
        passed["unexpected_count"],
        passed["observed"],
    ) == ("critical", True, None, None)
    warned = rows[("fct_placements", "in_code_list")]
    assert (warned["severity"], warned["success"], warned["unexpected_count"]) == (
        "warning",
        False,
        3,
    )
    assert warned["observed"] == "warn: Got 3 results, configured to warn if != 0"
    failed = rows[("fct_cla_reviews", "relationships_within_authority")]
    assert (failed["severity"], failed["success"], failed["unexpected_count"]) == (
        "critical",
        False,
        2,
    )
    assert (
        rows[("kpi_agency_rate_detail", "assert_units_unique")]["description"] == "one row per unit"
    )


# ------------------------------------------------------------ judged per authority


def _stored(name, la_codes, config=None, severity="ERROR", status="fail", column="team_id"):
    """A failing test whose stored failing rows (a view in schema audit) hold these la_codes."""
    node = {
        "resource_type": "test",
        "name": name,
        "column_name": column,
        "attached_node": "model.p.fct_x",
        "config": {"severity": severity, **(config or {})},
        "test_metadata": {"name": name, "kwargs": {"column_name": column}},
    }
    result = {
        "unique_id": f"test.p.{name}",
        "status": status,
        "failures": len(la_codes),
        "message": f"Got {len(la_codes)} results",
        "relation_name": f'"warehouse"."audit"."{name}"',
    }
    return node, result


@pytest.fixture
def audited():
    """Stored failures, worked out by hand:
    rel_fail   (error): 201 x2, 202 x1               -> 201 critical (2), 202 critical (1)
    rel_warn   (warn):  203 x1                       -> 203 warning (1)
    rel_over_2 (error, error_if > 2, warn_if > 0): 201 x3, 202 x1 -> 201 critical (3), 202 warning (1)
    no_la      (error): rows without la_code         -> one row, la_code NULL, critical
    null_la    (error): a row whose la_code is NULL  -> la_code NULL, critical (every authority)
    missing    (error): its view does not exist     -> one row, la_code NULL, critical
    share      (error, judged on a share as dates_in_order: max(dq_level), warn >= 1, error >= 2):
               201 three rows at level 2 of 4 checked, 202 one row at level 1 of 50 checked
               -> 201 critical (3, of 4), 202 warning (1, of 50)
    """
    con = duckdb.connect()
    con.execute("CREATE SCHEMA audit")
    views = {
        "rel_fail": ["201", "201", "202"],
        "rel_warn": ["203"],
        "rel_over_2": ["201", "201", "201", "202"],
        "null_la": [None],
    }
    for name, codes in views.items():
        values = ", ".join("(NULL::VARCHAR, 'x')" if c is None else f"('{c}', 'x')" for c in codes)
        con.execute(
            f"CREATE VIEW audit.{name} AS SELECT * FROM (VALUES {values}) t(la_code, team_id)"
        )
    con.execute("CREATE VIEW audit.no_la AS SELECT 'x' AS unique_field, 2 AS n_records")
    con.execute("""CREATE VIEW audit.share AS SELECT * FROM (VALUES ('201', 2, 4), ('201', 2, 4), ('201', 2, 4),
                   ('202', 1, 50)) t(la_code, dq_level, dq_rows_checked)""")
    specs = [
        _stored("rel_fail", views["rel_fail"]),
        _stored("rel_warn", views["rel_warn"], severity="warn", status="warn"),
        _stored("rel_over_2", views["rel_over_2"], {"error_if": "> 2", "warn_if": "> 0"}),
        _stored("no_la", ["x"]),
        _stored("null_la", [None]),
        _stored("missing", ["x"]),
        _stored(
            "share",
            ["201"] * 3 + ["202"],
            {"fail_calc": "max(dq_level)", "warn_if": ">= 1", "error_if": ">= 2"},
        ),
    ]
    manifest = {"nodes": {f"test.p.{n['name']}": n for n, _ in specs}}
    rows = [
        dict(zip(COLUMNS, r))
        for r in dbt_test_rows({"results": [r for _, r in specs]}, manifest, "run-1", con=con)
    ]
    con.close()
    return {(r["expectation"], r["la_code"]): r for r in rows}


def test_failing_tests_are_attributed_to_the_authorities_in_their_rows(audited):
    got = {key: (r["severity"], r["success"], r["unexpected_count"]) for key, r in audited.items()}
    assert got == {
        ("rel_fail", "201"): ("critical", False, 2),
        ("rel_fail", "202"): ("critical", False, 1),
        ("rel_warn", "203"): ("warning", False, 1),
        ("rel_over_2", "201"): ("critical", False, 3),
        ("rel_over_2", "202"): ("warning", False, 1),
        ("no_la", None): ("critical", False, 1),
        ("null_la", None): ("critical", False, 1),
        ("missing", None): ("critical", False, 1),
        ("share", "201"): ("critical", False, 3),
        ("share", "202"): ("warning", False, 1),
    }
    assert (
        audited[("share", "201")]["element_count"],
        audited[("share", "202")]["element_count"],
    ) == (4, 50)
    assert (
        audited[("share", "201")]["observed"]
        == '3 failing rows of 4 checked (75.0%) in "audit"."share"'
    )
    assert audited[("rel_fail", "201")]["observed"] == '2 failing rows in "audit"."rel_fail"'
