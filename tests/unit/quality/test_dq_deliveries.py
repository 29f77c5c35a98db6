"""The data-quality report's list of delivered tables and the measures they feed, on the
hand-made raw_meta of test_dq_report (authority 201: ssd_cp_plans delivered, extract date
2024-03-31; ext_staff's only file failed, so not delivered; nothing else delivered).

Measures fed, from the seeds (kpi_catalogue.needs, fact_sources), worked out by hand:
- ssd_cp_plans feeds fct_cp_plans, needed by cp_plans_open, cp_rate_10k, cp_second_plan_2y,
  cp_second_plan_ever, cp_plans_2y_plus, cp_visits_10wd, cp_reviews_timely, core_groups_timely,
  cin_visits_20wd (no CP plan), unallocated_cases and case_supervision_monthly (open cases): 11.
- ssd_cp_visits feeds fct_visits:cp, needed by cp_visits_10wd only.
- ext_staff feeds fct_staff_months: the three supervision measures, caseload_average,
  caseload_over_20, nqsw_caseload_protected, agency_rate, vacancy_rate, turnover_rate: 9.
- ssd_professionals feeds nothing the conformed layer reads.
"""

from orchestration.lib.contract import load_contract
from orchestration.lib.quality.quality_report import build_report
from tests.unit.quality import test_dq_report

# The data-quality report's hand-made raw_meta (test_dq_report's fixture, shared).
con = test_dq_report.con

CP_PLAN_MEASURES = (
    "case_supervision_monthly, cin_visits_20wd, core_groups_timely, cp_plans_2y_plus, "
    "cp_plans_open, cp_rate_10k, cp_reviews_timely, cp_second_plan_2y, cp_second_plan_ever, "
    "cp_visits_10wd, unallocated_cases"
)
STAFF_MEASURES = (
    "agency_rate, caseload_average, caseload_over_20, nqsw_caseload_protected, supervision_monthly, "
    "supervision_monthly_business_support, supervision_monthly_operational, turnover_rate, vacancy_rate"
)


def deliveries(con, run_id="r1"):
    cur = con.execute(
        """SELECT table_name, delivered, extract_date::VARCHAR, feeds, measures_fed, measures
                         FROM quality.dq_deliveries WHERE run_id = ? AND la_code = '201'""",
        [run_id],
    )
    return {r[0]: r[1:] for r in cur.fetchall()}


def test_each_contract_table_with_its_delivery_and_the_measures_it_feeds(con, tmp_path):
    build_report(con, "r1", tmp_path)
    rows = deliveries(con)
    assert len(rows) == len(load_contract())
    assert rows["ssd_cp_plans"] == (True, "2024-03-31", "fct_cp_plans", 11, CP_PLAN_MEASURES)
    assert rows["ssd_cp_visits"] == (False, None, "fct_visits:cp", 1, "cp_visits_10wd")
    assert rows["ext_staff"] == (False, None, "fct_staff_months", 9, STAFF_MEASURES)
    assert rows["ssd_professionals"] == (False, None, None, 0, None)
    assert [t for t, r in rows.items() if r[0]] == ["ssd_cp_plans"]


def test_rebuilt_for_the_same_run_and_kept_per_run(con, tmp_path):
    build_report(con, "r1", tmp_path)
    build_report(con, "r1", tmp_path)
    build_report(con, "r2", tmp_path)
    counts = con.execute(
        "SELECT run_id, count(*) FROM quality.dq_deliveries GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [("r1", len(load_contract())), ("r2", len(load_contract()))]


def test_authority_page_lists_deliveries_and_measures_not_available(con, tmp_path):
    build_report(con, "r1", tmp_path)
    page = (tmp_path / "report" / "201.html").read_text()
    assert "Tables delivered and the measures they feed" in page
    assert f"1 of {len(load_contract())} contract tables delivered" in page
    assert "2024-03-31" in page and CP_PLAN_MEASURES in page
    assert "The scorecard was not built in this run." in page

    # once the scorecard is built, its availability says which measures are not available
    con.execute("CREATE SCHEMA kpi")
    con.execute("""CREATE TABLE kpi.kpi_measure_availability AS SELECT * FROM (VALUES
        ('201', 'cp_plans_open', 'fct_cp_plans', true, NULL),
        ('201', 'cp_visits_10wd', 'fct_cp_plans fct_visits:cp', false, 'ssd_cp_visits not delivered'))
        AS t(la_code, kpi_id, needs, is_available, not_available_reason)""")
    build_report(con, "r1", tmp_path)
    page = (tmp_path / "report" / "201.html").read_text()
    section = page[page.index("<h3>Measures not available</h3>") :]
    assert "cp_visits_10wd" in section and "ssd_cp_visits not delivered" in section
    assert "cp_plans_open" not in section.split("</table>")[0]
