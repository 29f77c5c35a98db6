"""Conformed-fact suites on a hand-made fct_cp_plans (in-memory DuckDB).

Authority 201, dim_child = {c1 held in ssd_person, cX an unknown member}, plans:
  p1 c1 start 2024-01-10 end 2024-01-01  -> end before start: not judged here (the dbt test
                                            dates_in_order next to the model judges it)
  p2 cX start 2024-01-10 open            -> child not in ssd_person: warning
  p3 c1 start 2024-02-01 end 2024-02-01  -> same day: fine
"""

import duckdb
import pytest

from orchestration.lib.quality import run_suite
from orchestration.lib.quality.facts import FACT_SPECS, SPECS_BY_MODEL, fact_batches
from orchestration.lib.quality.suites import SUITES


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE SCHEMA conformed")
    # cX is named by a plan but not held in ssd_person: dim_child has it as an unknown member
    c.execute("""CREATE TABLE conformed.dim_child AS SELECT * FROM (VALUES
        ('201', 'c1', false), ('201', 'cX', true)) t(la_code, child_key, is_inferred_member)""")
    c.execute("CREATE TABLE conformed.dim_team AS SELECT '201' AS la_code, 'T1' AS team_id")
    c.execute("""CREATE TABLE conformed.fct_cp_plans AS SELECT * FROM (VALUES
        ('201', 'p1', 'c1', DATE '2024-01-10', DATE '2024-01-01'),
        ('201', 'p2', 'cX', DATE '2024-01-10', NULL),
        ('201', 'p3', 'c1', DATE '2024-02-01', DATE '2024-02-01'))
        t(la_code, cp_plan_key, child_key, plan_start_date, plan_end_date)""")
    yield c
    c.close()


def test_every_fact_spec_has_a_suite():
    assert {s.suite for s in FACT_SPECS} <= set(SUITES)


def test_orphan_child_is_a_warning_and_date_order_is_left_to_dbt(con):
    o = run_suite("fct_cp_plans", fact_batches(con, SPECS_BY_MODEL["fct_cp_plans"]))
    assert o.passed  # no critical failure
    failed = {(f.column, f.severity, f.unexpected_count) for f in o.failures}
    assert failed == {("child_found", "warning", 1)}


def test_duplicate_key_is_critical(con):
    con.execute("INSERT INTO conformed.fct_cp_plans VALUES ('201', 'p3', 'c1', DATE '2024-03-01', NULL)")
    o = run_suite("fct_cp_plans", fact_batches(con, SPECS_BY_MODEL["fct_cp_plans"]))
    assert not o.passed
    assert [(f.column, f.unexpected_count) for f in o.critical_failures] == [("cp_plan_key", 2)]


def test_a_column_missing_from_the_table_fails_at_its_own_severity(con):
    con.execute("ALTER TABLE conformed.fct_cp_plans DROP COLUMN child_key")
    o = run_suite("fct_cp_plans", fact_batches(con, SPECS_BY_MODEL["fct_cp_plans"]))
    assert o.passed
    assert any(f.column == "child_key" and f.severity == "warning" for f in o.failures)
