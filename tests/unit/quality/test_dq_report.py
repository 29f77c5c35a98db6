"""The data-quality report on hand-made raw_meta and check results (values worked out by hand).

Authority 201, latest load run r1:
- ssd_cp_plans: file 201/2024-03-31/ssd_cp_plans.csv, 10 rows read, 8 loaded, 2 quarantined:
  line 3 (required value missing) and line 5 (orphan foreign key AND a bad date: one row,
  two errors). Quarantine rate 2 / 10 = 0.2.
- ext_staff: its only file failed (empty): not delivered, 1 file failed.
- every other contract table: not delivered.
Check results of r1 on ssd_cp_plans: 6 passed + 1 failed warning (raw_load), 1 failed critical
(fct_cp_plans) -> 6 passed, 2 failed, worst critical.
"""

import json
from datetime import datetime

import duckdb
import pytest

from orchestration.lib.contract import extract_contract
from orchestration.lib.ingest.loader import ensure_meta
from orchestration.lib.quality import results
from orchestration.lib.quality.quality_report import build_report

T0 = datetime(2024, 4, 1, 9, 0)


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_meta(c)
    c.execute("INSERT INTO raw_meta.authority_state VALUES ('201', 'fp', 'r1', ?)", [T0])
    c.execute(
        "INSERT INTO raw_meta.current_versions VALUES ('201', 'ssd_cp_plans', '2024-03-31', "
        "'201/2024-03-31/ssd_cp_plans.csv', 'sha', 8, 'r1', 'extract', NULL)"
    )
    c.execute(
        """INSERT INTO raw_meta.load_log VALUES
        ('r1', '201', 'ssd_cp_plans', '2024-03-31', '201/2024-03-31/ssd_cp_plans.csv', 'sha', 100, 'utf-8',
         'loaded', '', 10, 8, 2, ?, 0.1, 'ssd', NULL, 'extract CSV', NULL),
        ('r1', '201', 'ext_staff', '2024-03-31', '201/2024-03-31/ext_staff.csv', '', 0, '',
         'failed', '201/2024-03-31/ext_staff.csv: empty file (0 bytes)', 0, 0, 0, ?, 0.0, NULL, NULL, 'extract CSV', NULL)""",
        [T0, T0],
    )
    c.execute("""INSERT INTO raw_meta.quarantine VALUES
        ('201', '2024-03-31', 'ssd_cp_plans', '201/2024-03-31/ssd_cp_plans.csv', 3, 'cppl_cp_plan_start_date',
         'required value missing', NULL, 'r1'),
        ('201', '2024-03-31', 'ssd_cp_plans', '201/2024-03-31/ssd_cp_plans.csv', 5, 'cppl_person_id',
         'no child: cppl_person_id is empty', NULL, 'r1'),
        ('201', '2024-03-31', 'ssd_cp_plans', '201/2024-03-31/ssd_cp_plans.csv', 5, 'cppl_cp_plan_end_date',
         'not a valid date', 'yesterday', 'r1')""")
    results.ensure_tables(c)
    rows = [
        (
            "r1",
            T0,
            "gx_raw_load",
            "raw_load",
            "201",
            "ssd_cp_plans",
            f"e{i}",
            None,
            "critical",
            True,
            0,
            1,
            None,
            None,
        )
        for i in range(6)
    ]
    rows.append(
        (
            "r1",
            T0,
            "gx_raw_load",
            "raw_load",
            "201",
            "ssd_cp_plans",
            "expect_rate",
            "quarantine_rate",
            "warning",
            False,
            1,
            1,
            "0.2",
            None,
        )
    )
    rows.append(
        (
            "r1",
            T0,
            "gx_raw_load",
            "raw_load",
            "201",
            "ssd_cp_plans",
            "expect_column_values_to_be_between",
            "rows_unaccounted",
            "critical",
            False,
            1,
            1,
            "2",
            None,
        )
    )
    results.record(c, rows, "r1", "gx_raw_load")
    yield c
    c.close()


def report_row(con, table, run_id="r1"):
    cur = con.execute(
        "SELECT * FROM quality.dq_report WHERE run_id = ? AND la_code = '201' AND table_name = ?",
        [run_id, table],
    )
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1
    return dict(zip(names, rows[0]))


def test_rows_read_loaded_quarantined_by_reason_and_expectations(con, tmp_path):
    build_report(con, "r1", tmp_path)
    r = report_row(con, "ssd_cp_plans")
    assert (r["delivered"], r["rows_read"], r["rows_loaded"], r["rows_quarantined"]) == (
        True,
        10,
        8,
        2,
    )
    assert r["quarantine_rate"] == pytest.approx(0.2)
    assert json.loads(r["quarantine_by_reason"]) == {
        "bad_date": 1,
        "missing_required": 1,
        "no_child": 1,
    }
    assert (r["expectations_passed"], r["expectations_failed"], r["worst_severity"]) == (
        6,
        2,
        "critical",
    )
    reasons = con.execute(
        "SELECT reason_class, rows_quarantined, errors FROM quality.dq_quarantine_reasons "
        "WHERE run_id = 'r1' ORDER BY 1"
    ).fetchall()
    assert reasons == [("bad_date", 1, 1), ("missing_required", 1, 1), ("no_child", 1, 1)]


def test_failed_and_undelivered_tables(con, tmp_path):
    build_report(con, "r1", tmp_path)
    staff = report_row(con, "ext_staff")
    assert (staff["delivered"], staff["files_failed"], staff["rows_read"]) == (False, 1, 0)
    assert "empty file" in staff["file_failure"]
    n = con.execute("SELECT count(*) FROM quality.dq_report WHERE run_id = 'r1'").fetchall()[0][0]
    assert n == len(extract_contract())  # one row per extract table: the authority sends no return


def test_trend_over_runs_and_html(con, tmp_path):
    build_report(con, "r1", tmp_path)
    index = build_report(con, "r2", tmp_path)  # a later run with nothing new
    assert (
        report_row(con, "ssd_cp_plans", "r2")["expectations_failed"] == 0
    )  # no checks recorded for r2
    page = (tmp_path / "report" / "201.html").read_text()
    assert "Trend over runs" in page and ">r1<" in page and ">r2<" in page
    assert "missing_required" in page and "empty file" in page
    text = index.read_text()
    assert "201.html" in text and "<script" not in text
    assert (tmp_path / "data_docs" / "index.html").is_file()


def test_report_is_rebuilt_not_appended_for_the_same_run(con, tmp_path):
    build_report(con, "r1", tmp_path)
    build_report(con, "r1", tmp_path)
    assert (
        con.execute(
            "SELECT count(*) FROM quality.dq_report WHERE run_id = 'r1' AND table_name = 'ssd_cp_plans'"
        ).fetchall()[0][0]
        == 1
    )


def test_dbt_rules_are_listed_apart_from_the_authorities(con, tmp_path):
    """dbt test rows carry no authority (dbt counts over all of them): the per-authority rows are
    unchanged (ssd_cp_plans still 6 passed, 2 failed), no row without an authority appears, and
    the index lists the two dbt rules that did not pass, not the one that passed."""
    from orchestration.lib.quality.dbt_tests import dbt_test_rows
    from tests.unit.quality.test_dbt_tests import MANIFEST, RUN_RESULTS

    results.record(con, dbt_test_rows(RUN_RESULTS, MANIFEST, "r1", T0), "r1", "dbt_tests")
    index = build_report(con, "r1", tmp_path)
    row = report_row(con, "ssd_cp_plans")
    assert (row["expectations_passed"], row["expectations_failed"]) == (6, 2)
    assert con.execute(
        "SELECT count(*) FROM quality.dq_report WHERE run_id = 'r1' AND la_code IS NULL"
    ).fetchall() == [(0,)]
    section = index.read_text().split("dbt rules not passed", 1)[1]
    assert "fct_placements" in section and "fct_cla_reviews" in section
    assert "fct_visits" not in section


def test_orphans_and_values_read_as_nothing_are_reported_per_authority(con, tmp_path):
    # what the loader recorded for the current versions (hand-made rows)
    con.execute("""INSERT INTO raw_meta.orphans VALUES
        ('201', 'ssd_cp_plans', 'cppl_referral_id', 'ssd_cin_episodes', 'cine_referral_id', false,
         '201/2024-03-31/ssd_cp_plans.csv', 6, 6, 4, 0, '2, 4, 6, 7, 8')""")
    con.execute("""INSERT INTO raw_meta.value_notes VALUES
        ('201', 'ssd_cp_plans', '201/2024-03-31/ssd_cp_plans.csv', 'cppl_cp_plan_end_date', 'null text read as missing', 5, 'NULL')""")
    index = build_report(con, "r1", tmp_path)
    assert con.execute(
        "SELECT la_code, table_name, column_name, parent_delivered, rows_orphaned, example_lines "
        "FROM quality.dq_orphans WHERE run_id = 'r1'"
    ).fetchall() == [("201", "ssd_cp_plans", "cppl_referral_id", False, 6, "2, 4, 6, 7, 8")]
    assert con.execute(
        "SELECT column_name, note, rows, example FROM quality.dq_value_notes WHERE run_id = 'r1'"
    ).fetchall() == [("cppl_cp_plan_end_date", "null text read as missing", 5, "NULL")]
    page = (index.parent / "201.html").read_text()
    assert (
        "References without a parent row" in page
        and "2, 4, 6, 7, 8" in page
        and "not delivered" in page
    )
    assert "Values read as nothing" in page and "null text read as missing" in page


def test_accepted_changes_are_listed(con, tmp_path):
    # one accepted drift row (info) and one blocking drift row: only the accepted one is listed
    drift = [
        (
            "r1",
            T0,
            "drift_publication",
            "drift",
            "201",
            "kpi_scorecard",
            "drift_values_lost",
            "value",
            "info",
            False,
            4,
            None,
            "accepted by --accept-change (201): 4 measure-periods lost their value; e.g. K1",
            None,
        ),
        (
            "r1",
            T0,
            "drift_publication",
            "drift",
            "201",
            "kpi_scorecard",
            "drift_periods_lost",
            "period_start",
            "critical",
            False,
            1,
            None,
            "1 published periods are missing; e.g. month Jun 2024",
            None,
        ),
    ]
    results.record(con, drift, "r1", "drift_publication")
    html = (build_report(con, "r1", tmp_path)).read_text()
    section = html.split("<h2>Accepted changes</h2>")[1].split("<h2>")[0]
    assert "drift_values_lost" in section and "accepted by --accept-change (201)" in section
    assert "drift_periods_lost" not in section


def test_hostile_values_are_escaped_in_the_pages(con, tmp_path):
    """A file name, a quarantine reason, a load message and a data-docs folder holding markup and
    '&' appear as text: the pages carry them escaped, never as a tag."""
    hostile_file = "201/2024-03-31/<script>alert(1)</script>&x.csv"
    con.execute(
        "INSERT INTO raw_meta.landing_ignored VALUES ('r1', '201', ?, ?, ?)",
        [hostile_file, "not recognised: <b>bold</b> & more", T0],
    )
    con.execute(
        """INSERT INTO raw_meta.quarantine VALUES
        ('201', '2024-03-31', 'ssd_cp_plans', ?, 7, 'cppl_person_id', '<script>bad()</script> & worse', NULL, 'r1')""",
        [hostile_file],
    )
    con.execute(
        "UPDATE raw_meta.load_log SET message = 'empty <img src=x> & gone' WHERE table_name = 'ext_staff'"
    )
    site = tmp_path / "data_docs" / "<i>suite&co"
    site.mkdir(parents=True)
    (site / "index.html").write_text("x")
    index = build_report(con, "r1", tmp_path)
    page = (index.parent / "201.html").read_text()
    assert "<td>201/2024-03-31/&lt;script&gt;alert(1)&lt;/script&gt;&amp;x.csv</td>" in page
    assert "<td>not recognised: &lt;b&gt;bold&lt;/b&gt; &amp; more</td>" in page
    assert "<td>&lt;script&gt;bad()&lt;/script&gt; &amp; worse</td>" in page
    assert "<p>File failure: empty &lt;img src=x&gt; &amp; gone</p>" in page
    docs = (tmp_path / "data_docs" / "index.html").read_text()
    assert "<a href='&lt;i&gt;suite&amp;co/index.html'>&lt;i&gt;suite&amp;co</a>" in docs
    for text in (page, index.read_text(), docs):
        assert (
            "<script" not in text
            and "<img" not in text
            and "<b>bold" not in text
            and "<i>suite" not in text
        )
