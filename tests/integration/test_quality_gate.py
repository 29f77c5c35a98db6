"""The quality gate end to end through Dagster on a generated landing with every fault class.

2 authorities, 3,000 children, 1 year, every fault (tests/unit/quality/faulty_landing.py).
Expected outcomes from the generator's fault manifest (FAULTS.md):
- quarantine faults: counted in quality.dq_report / dq_quarantine_reasons (exact counts are
  asserted in tests/unit/quality/test_raw_suite.py); the raw check warns;
- file_error: a warning of gx_raw_load on that authority and table;
- end_before_start (loads, expected `quality_gate`): a *warning* of the conformed fact's
  dates_in_order dbt test on that authority, one failing row per injected fault whose row loaded;
- duplicate_drop: loaded once, no volume warning;
- no critical failure, so every authority publishes, and the warnings are in
  quality.check_results for the published run id.
The critical path (a critical failure holds back its authority, which keeps its previously
published rows) is tests/integration/test_verdicts.py and tests/integration/test_pipeline.py.
"""

from collections import Counter

import dagster as dg
import duckdb
import pytest

from tests.unit.quality.faulty_landing import generate_landing, read_manifest

pytestmark = pytest.mark.slow

# (source table, its later date column) -> (conformed model, the date column tested there):
# the dates_in_order dbt tests of dbt_project/models/conformed/*.yml, worked out by hand
END_COLUMN_TO_TEST = {
    ("ssd_cin_episodes", "cine_close_date"): ("fct_referrals", "close_date"),
    ("ssd_early_help_episodes", "earl_episode_end_date"): ("fct_early_help_episodes", "end_date"),
    ("ssd_s47_enquiry", "s47e_s47_end_date"): ("fct_s47_enquiries", "s47_end_date"),
    ("ssd_cp_plans", "cppl_cp_plan_end_date"): ("fct_cp_plans", "plan_end_date"),
    ("ssd_cin_plans", "cinp_cin_plan_end_date"): ("fct_cin_plans", "plan_end_date"),
    ("ssd_cla_episodes", "clae_cla_episode_ceased_date"): (
        "fct_cla_episodes",
        "episode_ceased_date",
    ),
    ("ssd_legal_status", "lega_legal_status_end_date"): ("fct_legal_statuses", "end_date"),
    ("ssd_cla_placement", "clap_cla_placement_end_date"): ("fct_placements", "placement_end_date"),
    ("ssd_missing", "miss_missing_episode_end_date"): (
        "fct_missing_episodes",
        "missing_end_datetime",
    ),
    ("ext_exploitation", "expl_completed_date"): ("fct_exploitation", "completed_date"),
    ("ext_care_proceedings", "crtp_concluded_date"): ("fct_care_proceedings", "concluded_date"),
    ("ext_life_story_work", "lswk_completed_date"): ("fct_life_story_work", "completed_date"),
    ("ssd_involvements", "invo_involvement_end_date"): ("fct_allocations", "end_date"),
    ("ext_staff", "staf_end_date"): ("dim_staff", "end_date"),
    ("ssd_cin_assessments", "cina_assessment_auth_date"): (
        "fct_assessments",
        "assessment_auth_date",
    ),
}


def _with_report(monkeypatch):
    """Use the code location, adding the report asset if definitions.py does not list it yet."""
    from orchestration import definitions
    from orchestration.defs.quality.report_asset import dq_report

    keys = definitions.defs.get_repository_def().asset_graph.get_all_asset_keys()
    if dg.AssetKey(["quality", "dq_report"]) not in keys:
        monkeypatch.setattr(
            definitions,
            "defs",
            dg.Definitions.merge(definitions.defs, dg.Definitions(assets=[dq_report])),
        )


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    from orchestration.cli import main
    from orchestration.lib.settings import load_settings

    mp = pytest.MonkeyPatch()
    _with_report(mp)
    tmp = tmp_path_factory.mktemp("gate")
    # a warehouse, publish folder and instance of its own (test_pipeline.py uses the session's)
    for name, sub in (
        ("CSCW_WAREHOUSE", "warehouse.duckdb"),
        ("CSCW_PUBLISH_DIR", "publish"),
        ("CSCW_QUALITY_DIR", "quality"),
        ("CSCW_LANDING", "landing"),
        ("DAGSTER_HOME", "dagster"),
    ):
        mp.setenv(name, str(tmp / sub))
    landing = generate_landing(tmp / "landing")
    code = main(["run", "--landing", str(landing)])
    settings = load_settings()
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    run_id = con.execute(
        "SELECT run_id FROM quality.check_results ORDER BY checked_at DESC LIMIT 1"
    ).fetchall()[0][0]
    yield {
        "code": code,
        "con": con,
        "run_id": run_id,
        "manifest": read_manifest(landing),
        "landing": landing,
        "settings": settings,
    }
    con.close()
    mp.undo()


def results(gate, where="", params=()):
    return (
        gate["con"]
        .execute(
            "SELECT check_name, suite, la_code, table_name, column_name, severity, success, unexpected_count "
            f"FROM quality.check_results WHERE run_id = ? {where}",
            [gate["run_id"], *params],
        )
        .fetchall()
    )


def loaded_lines(gate, la, table):
    rows = (
        gate["con"]
        .execute(f'SELECT source_line FROM raw."{table}" WHERE la_code = ?', [la])
        .fetchall()
    )
    return {r[0] for r in rows}


def test_severity_decides_each_authority(gate):
    """Warnings publish; a critical failure (in any suite) holds back its authority, and one
    without an authority holds back every authority; the exit code follows (README)."""
    con, run_id = gate["con"], gate["run_id"]
    critical = [r for r in results(gate) if r[5] == "critical" and not r[6]]
    everyone = {
        r[0] for r in con.execute("SELECT DISTINCT la_code FROM raw_meta.load_log").fetchall()
    }
    held = everyone if any(r[2] is None for r in critical) else {r[2] for r in critical}
    verdicts = dict(
        con.execute(
            "SELECT la_code, verdict FROM quality.verdicts WHERE run_id = ?", [run_id]
        ).fetchall()
    )
    assert set(verdicts) == everyone and len(everyone) == 2
    assert {la for la, v in verdicts.items() if v == "held_back"} == held, critical[:5]
    assert gate["code"] == (0 if not held else 1 if held == everyone else 3)
    assert any(r[5] == "warning" and not r[6] for r in results(gate))


def test_faults_give_no_critical_failure_at_the_raw_and_conformed_layers(gate):
    """The fault spec (1% per row fault) keeps every table below the critical quarantine rate,
    and no fault breaks a conformed key: only warnings below the KPI layer."""
    critical = [
        r
        for r in results(gate, "AND check_name NOT IN ('gx_kpi_scorecard', 'gx_kpi_completeness')")
        if r[5] == "critical" and not r[6]
    ]
    assert critical == []


def test_file_errors_are_raw_warnings(gate):
    for m in gate["manifest"]:
        if m["expected"] == "file_error":
            rows = results(
                gate,
                "AND check_name = 'gx_raw_load' AND la_code = ? AND table_name = ? "
                "AND column_name = 'current_file_failed'",
                (m["la_code"], m["table"]),
            )
            assert [(r[5], r[6]) for r in rows] == [("warning", False)], m


def test_end_before_start_is_a_conformed_fact_warning(gate):
    """1% of rows out of order is a warning of the fact's dates_in_order dbt test on that
    authority (under the 10% critical share of seeds/quality_thresholds.csv): one failing row per
    injected fault whose row loaded, out of the rows checked."""
    want = Counter()
    for m in gate["manifest"]:
        if m["fault"] != "end_before_start":
            continue
        target = END_COLUMN_TO_TEST.get((m["table"], m["column"]))
        if target is None:
            continue  # a table without a conformed fact: nothing to check yet
        if int(m["line"]) in loaded_lines(gate, m["la_code"], m["table"]):
            want[(target[0], m["la_code"], target[1])] += 1
    assert want, "the fault spec should put end_before_start rows into conformed facts"
    for (model, la, column), n in want.items():
        rows = (
            gate["con"]
            .execute(
                "SELECT severity, success, unexpected_count, element_count FROM quality.check_results "
                "WHERE run_id = ? AND check_name = 'dbt_tests' AND table_name = ? AND la_code = ? "
                "AND column_name = ? AND expectation = 'dates_in_order'",
                [gate["run_id"], model, la, column],
            )
            .fetchall()
        )
        assert len(rows) == 1, (model, la, column, rows)
        severity, success, unexpected, checked = rows[0]
        assert (severity, success) == ("warning", False)
        assert unexpected == n, (model, la, column)
        assert checked is not None and n / checked <= 0.10, (model, la, checked)


def test_report_tables_and_html(gate):
    con, run_id = gate["con"], gate["run_id"]
    n = con.execute("SELECT count(*) FROM quality.dq_report WHERE run_id = ?", [run_id]).fetchall()[
        0
    ][0]
    assert n > 0
    q = con.execute(
        "SELECT sum(rows_quarantined) FROM quality.dq_report WHERE run_id = ?", [run_id]
    ).fetchall()[0][0]
    injected = {
        (m["la_code"], m["table"], m["line"])
        for m in gate["manifest"]
        if m["expected"] == "quarantine"
    }
    assert q >= len(injected)  # plus duplicate-key holders: exact counts in the unit test
    index = gate["settings"].quality_dir / "report" / "index.html"
    assert index.is_file() and (gate["settings"].quality_dir / "data_docs" / "index.html").is_file()


def test_duplicate_drop_not_duplicated(gate):
    dup = {(m["la_code"], m["table"]) for m in gate["manifest"] if m["fault"] == "duplicate_drop"}
    con = gate["con"]
    for la, table in sorted(dup)[:5]:
        files = {
            r[0]
            for r in con.execute(
                f'SELECT DISTINCT source_file FROM raw."{table}" WHERE la_code = ?', [la]
            ).fetchall()
        }
        assert len(files) <= 1  # one drop only (the newest copy)
