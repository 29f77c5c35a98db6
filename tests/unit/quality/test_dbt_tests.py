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
    rel_built  (error, reported "warn" by the pipeline's build, which runs every test as a
               warning): 204 x2                      -> 204 critical (2), the written severity
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
        "rel_built": ["204", "204"],
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
        _stored("rel_built", views["rel_built"], status="warn"),
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
        ("rel_built", "204"): ("critical", False, 2),
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


# ------------------------------------------------ grouped column checks (one node per model)


def _grouped(name, checks, status, failures, model="fct_x"):
    node = {
        "resource_type": "test",
        "name": name,
        "column_name": None,
        "attached_node": f"model.p.{model}",
        "config": {"severity": "ERROR"},
        "test_metadata": {"name": "column_checks", "kwargs": checks},
    }
    result = {
        "unique_id": f"test.p.{name}",
        "status": status,
        "failures": failures,
        "message": f"Got {failures} results" if failures is not None else "boom",
        "relation_name": f'"warehouse"."audit"."{name}"',
    }
    return node, result


@pytest.fixture
def grouped():
    """Stored failing rows of column_checks tests, worked out by hand:
    cc_x    on fct_x: not_null [la_code, team_id, child_key], unique [child_key],
            accepted_values {status: [open, shut]}; failing rows:
              201  team_id null                      not_null:team_id
              201  team_id and child_key null        not_null:team_id;not_null:child_key
              201  status 'bad'                      accepted_values:status
              202  child_key c3 (twice)              unique:child_key
              202  child_key c3 again, status 'odd'  unique:child_key;accepted_values:status
            -> 201 not_null team_id (2), not_null child_key (1), accepted_values status (1);
               202 unique child_key (2), accepted_values status (1); not_null la_code passes
    cc_seed on a seed without la_code: unique [[code_list, code]], not_null [code]; two rows
            ('sex', 'M') -> unique "code_list, code" fails for every authority (2); not_null
            code passes
    cc_pass on kpi_y, passed: not_null [la_code], accepted_values {kpi_id: [k]} -> two passing
    cc_err  on kpi_z, errored: not_null [a], unique [[a, b]] -> each check failed, la_code NULL
    """
    con = duckdb.connect()
    con.execute("CREATE SCHEMA audit")
    con.execute("""CREATE VIEW audit.cc_x AS SELECT * FROM (VALUES
                   ('201', NULL, 'c1', 'open', 'not_null:team_id'),
                   ('201', NULL, NULL, 'open', 'not_null:team_id;not_null:child_key'),
                   ('201', 't1', 'c2', 'bad', 'accepted_values:status'),
                   ('202', 't1', 'c3', 'open', 'unique:child_key'),
                   ('202', 't2', 'c3', 'odd', 'unique:child_key;accepted_values:status'))
                   t(la_code, team_id, child_key, status, dq_failed_checks)""")
    con.execute("""CREATE VIEW audit.cc_seed AS SELECT * FROM (VALUES
                   ('sex', 'M', 'unique:code_list, code'), ('sex', 'M', 'unique:code_list, code'))
                   t(code_list, code, dq_failed_checks)""")
    x = {"not_null": ["la_code", "team_id", "child_key"], "unique": ["child_key"]}
    x["accepted_values"] = {"status": ["open", "shut"]}
    specs = [
        _grouped("cc_x", x, "fail", 5),
        _grouped(
            "cc_seed",
            {"not_null": ["code"], "unique": [["code_list", "code"]]},
            "fail",
            2,
            model="code_lists",
        ),
        _grouped(
            "cc_pass",
            {"not_null": ["la_code"], "accepted_values": {"kpi_id": ["k"]}},
            "pass",
            0,
            model="kpi_y",
        ),
        _grouped(
            "cc_err", {"not_null": ["a"], "unique": [["a", "b"]]}, "error", None, model="kpi_z"
        ),
    ]
    manifest = {"nodes": {f"test.p.{n['name']}": n for n, _ in specs}}
    rows = [
        dict(zip(COLUMNS, r))
        for r in dbt_test_rows({"results": [r for _, r in specs]}, manifest, "run-1", con=con)
    ]
    con.close()
    return rows


def test_grouped_checks_are_recorded_per_authority_and_check(grouped):
    got = {
        (r["table_name"], r["expectation"], r["column_name"], r["la_code"]): (
            r["severity"],
            r["success"],
            r["unexpected_count"],
        )
        for r in grouped
    }
    assert len(got) == len(grouped)
    assert got == {
        ("fct_x", "not_null", "team_id", "201"): ("critical", False, 2),
        ("fct_x", "not_null", "child_key", "201"): ("critical", False, 1),
        ("fct_x", "not_null", "la_code", None): ("critical", True, None),
        ("fct_x", "unique", "child_key", "202"): ("critical", False, 2),
        ("fct_x", "accepted_values", "status", "201"): ("critical", False, 1),
        ("fct_x", "accepted_values", "status", "202"): ("critical", False, 1),
        ("code_lists", "unique", "code_list, code", None): ("critical", False, 2),
        ("code_lists", "not_null", "code", None): ("critical", True, None),
        ("kpi_y", "not_null", "la_code", None): ("critical", True, None),
        ("kpi_y", "accepted_values", "kpi_id", None): ("critical", True, None),
        ("kpi_z", "not_null", "a", None): ("critical", False, None),
        ("kpi_z", "unique", "a, b", None): ("critical", False, None),
    }
    observed = {(r["expectation"], r["column_name"], r["la_code"]): r["observed"] for r in grouped}
    assert observed[("not_null", "team_id", "201")] == (
        '2 failing rows (team_id null) in "audit"."cc_x"'
    )
    assert observed[("unique", "child_key", "202")] == (
        '2 failing rows (child_key duplicated) in "audit"."cc_x"'
    )
    assert observed[("unique", "a, b", None)] == "error: boom"
    # each check under the name dbt would give its own test
    described = {
        (r["expectation"], r["column_name"], r["la_code"]): r["description"] for r in grouped
    }
    assert described[("unique", "code_list, code", None)] == "unique_code_lists_code_list_code"
    assert described[("accepted_values", "status", "202")] == "accepted_values_fct_x_status"


def test_grouped_checks_hold_back_only_the_failing_authorities(grouped):
    """Through the gate: 201 and 202 held back, each naming its own failing checks."""
    from orchestration.lib.ingest.loader import ensure_meta
    from orchestration.lib.quality import results, verdicts

    con = duckdb.connect()
    rows = [tuple(r[c] for c in COLUMNS) for r in grouped if r["table_name"] == "fct_x"]
    results.record(con, rows, "run-1", "dbt_tests")
    ensure_meta(con)  # the loader's own raw_meta tables
    con.execute(
        "INSERT INTO raw_meta.load_log (run_id, la_code) VALUES"
        " ('run-1', '201'), ('run-1', '202'), ('run-1', '203')"
    )
    judged = {v["la_code"]: v for v in verdicts.judge(con, "run-1")}
    assert {la: v["verdict"] for la, v in judged.items()} == {
        "201": "held_back",
        "202": "held_back",
        "203": "published",
    }
    assert "(team_id; 2 failing)" in judged["201"]["reasons"]
    assert "(child_key; 1 failing)" in judged["201"]["reasons"]
    assert "(child_key; 2 failing)" in judged["202"]["reasons"]
    assert "(status; 1 failing)" in judged["202"]["reasons"]
