"""End to end through Dagster on tests/fixtures/landing_small (one authority, 10 assessments).

Expected values are worked out by hand below from the fixture; nothing is read back from the
code under test. Working days count d with start < d <= end, Mon-Fri, no bank holidays.

 id   team  start       authorised  working days                                   met
 A1   T1    2024-04-02  2024-06-04  Apr 20 + May 21 (6th, 27th bank hols) + Jun 2 = 43  yes
 A2   T1    2024-04-02  2024-06-06  45                                             yes
 A3   T1    2024-04-02  2024-06-07  46                                             no
 A4   T2    2024-03-27  2024-04-03  28th, 2nd, 3rd (Good Friday, Easter Monday) = 3 yes
 A5   T2    2024-05-15  2024-05-15  same day = 0                                   yes
 A6   T1    2024-06-03  (none)      not authorised: not counted
 A7   -     2024-01-02  2024-03-28  Jan 21 + Feb 21 + Mar 20 = 62                  no
 A8   T2    2023-05-05  2023-05-09  Sat, Sun, Mon 8th Coronation, Tue 9th = 1       yes
 A9   T1    2024-06-14  2024-06-17  Fri -> Mon = 1                                 yes
 A10  T2    2024-06-15  2024-06-16  Sat -> Sun = 0                                 yes

Data date 2024-06-30: complete periods only, from 2018-04-01 (six financial years back).
"""

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.pseudonymise import pseudonym
from tests.conftest import FIXTURES

GOOD = FIXTURES / "landing_small"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs on one warehouse: good, the same again (unchanged), then a landing whose only
    authority the gate holds back, so nothing is published."""
    from orchestration.cli import main
    from orchestration.lib.publish import current_snapshot
    from orchestration.lib.settings import load_settings

    bad = tmp_path_factory.mktemp("bad")
    shutil.copytree(GOOD, bad, dirs_exist_ok=True)
    # A typed year far outside the working-day calendar: loads (a valid date) but cannot be
    # measured, a critical expectation on fct_assessments.
    drop = bad / "884" / "2024-07-31"
    shutil.copytree(bad / "884" / "2024-06-30", drop)
    text = (drop / "ssd_cin_assessments.csv").read_text().replace("2024-06-04", "2204-06-04")
    (drop / "ssd_cin_assessments.csv").write_text(text)

    work = tmp_path_factory.mktemp("pipeline")
    own = ["--warehouse", str(work / "warehouse.duckdb"), "--publish", str(work / "publish")]
    codes, snapshots = [], []
    for landing, force in ((GOOD, []), (GOOD, ["--force"]), (bad, [])):  # --force: not "up to date"
        codes.append(main(["run", "--landing", str(landing), *own, *force]))
        settings = load_settings()
        snapshots.append(current_snapshot(settings.publish_dir))
        if (
            len(codes) == 1
        ):  # keep the good warehouse: the bad run rebuilds it before the gate stops it
            for suffix in ("", ".wal"):
                if (work / f"warehouse.duckdb{suffix}").exists():
                    shutil.copyfile(
                        work / f"warehouse.duckdb{suffix}", work / f"good.duckdb{suffix}"
                    )
    return {
        "codes": codes,
        "snapshots": snapshots,
        "settings": settings,
        "warehouse": work / "good.duckdb",
        "last_warehouse": work / "warehouse.duckdb",
    }


def published(runs, sql, params=()):
    con = duckdb.connect(str(runs["snapshots"][0] / "cscw.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def warehouse(runs, sql, params=()):
    """The warehouse keeps unsuppressed values (publication suppresses small team counts)."""
    con = duckdb.connect(str(runs["warehouse"]), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def scorecard(runs, period_type, label, breakdown="la", breakdown_id="884"):
    rows = warehouse(
        runs,
        """SELECT numerator, denominator, value, target, rag, direction FROM kpi.kpi_scorecard
           WHERE kpi_id = 'assessments_45wd' AND period_type = ? AND period_label = ?
             AND breakdown = ? AND breakdown_id = ?""",
        (period_type, label, breakdown, breakdown_id),
    )
    assert len(rows) == 1, (period_type, label, breakdown, breakdown_id, rows)
    return rows[0]


def test_good_runs_succeed_and_publish(runs):
    import json

    assert runs["codes"][:2] == [0, 0]
    assert runs["snapshots"][0] is not None and runs["snapshots"][1] != runs["snapshots"][0]
    verdicts = [
        json.loads((s / "manifest.json").read_text())["verdicts"] for s in runs["snapshots"][:2]
    ]
    assert verdicts == [
        [{"la_code": "884", "verdict": "published", "reasons": None}],
        [{"la_code": "884", "verdict": "unchanged", "reasons": None}],
    ]  # no new drop


@pytest.mark.parametrize(
    "period_type, label, breakdown, breakdown_id, expected",
    [
        # (numerator, denominator, value, target, rag, direction)
        ("month", "Jun 2024", "la", "884", (4, 5, 80.0, 95, "Red", "worsening")),
        ("month", "May 2024", "la", "884", (1, 1, 100.0, 95, "Green", "unchanged")),
        ("month", "Apr 2024", "la", "884", (1, 1, 100.0, 95, "Green", "improving")),
        ("month", "Mar 2024", "la", "884", (0, 1, 0.0, 95, "Red", None)),
        ("month", "Feb 2024", "la", "884", (0, 0, None, 95, None, None)),
        ("month", "May 2023", "la", "884", (1, 1, 100.0, 95, "Green", None)),
        ("quarter", "2024-25 Q1", "la", "884", (6, 7, 600 / 7, 95, "Red", "improving")),
        ("quarter", "2023-24 Q4", "la", "884", (0, 1, 0.0, 95, "Red", None)),
        ("year", "2023-24", "la", "884", (1, 2, 50.0, 95, "Red", None)),
        # T1 had nothing in May, so June has nothing to compare with
        ("month", "Jun 2024", "team", "T1", (3, 4, 75.0, 95, "Red", None)),
        # T2 met in April, May and June: three periods running = Blue
        ("month", "Jun 2024", "team", "T2", (1, 1, 100.0, 95, "Blue", "unchanged")),
        ("quarter", "2024-25 Q1", "team", "T2", (3, 3, 100.0, 95, "Green", None)),
        ("quarter", "2024-25 Q1", "service_area", "SA1", (6, 7, 600 / 7, 95, "Red", None)),
        ("year", "2023-24", "team", "-1", (0, 1, 0.0, 95, "Red", None)),
    ],
)
def test_scorecard_matches_hand_worked_values(
    runs, period_type, label, breakdown, breakdown_id, expected
):
    got = scorecard(runs, period_type, label, breakdown, breakdown_id)
    assert got[:2] == pytest.approx(expected[:2])
    assert (got[2] is None) == (expected[2] is None)
    if expected[2] is not None:
        assert got[2] == pytest.approx(expected[2])
    assert got[3:] == expected[3:]


def test_small_team_figures_are_suppressed_in_the_published_copy(runs):
    # T1 in June 2024 is 3 of 4 (denominator under 5): published without its numbers.
    row = published(
        runs,
        """SELECT numerator, denominator, value, rag, suppressed FROM kpi_scorecard
                             WHERE kpi_id = 'assessments_45wd' AND period_label = 'Jun 2024'
                               AND breakdown = 'team' AND breakdown_id = 'T1'""",
    )
    assert row == [(None, None, None, None, True)]
    # the authority row is never suppressed
    la = published(
        runs,
        """SELECT numerator, denominator FROM kpi_scorecard WHERE kpi_id = 'assessments_45wd'
                            AND period_label = 'Jun 2024' AND breakdown = 'la'""",
    )
    assert la == [(4, 5)]


def test_previous_quarter_direction_for_service_area(runs):
    # SA1 2023-24 Q4 had no assessments (A7 has no team): value NULL, so no direction in Q1.
    assert scorecard(runs, "quarter", "2023-24 Q4", "service_area", "SA1")[:3] == (0, 0, None)


def test_every_period_and_level_is_published(runs):
    # 75 months (Apr 2018 - Jun 2024) + 25 quarters + 6 years = 106 periods;
    # levels: authority, service areas SA1 and unknown, teams T1, T2 and unknown = 6.
    assert (
        published(runs, "SELECT count(*) FROM kpi_scorecard WHERE kpi_id = 'assessments_45wd'")[0][
            0
        ]
        == 106 * 6
    )
    levels = published(
        runs,
        "SELECT DISTINCT breakdown, breakdown_id FROM kpi_scorecard "
        "WHERE kpi_id = 'assessments_45wd' ORDER BY 1, 2",
    )
    assert levels == [
        ("la", "884"),
        ("service_area", "-1"),
        ("service_area", "SA1"),
        ("team", "-1"),
        ("team", "T1"),
        ("team", "T2"),
    ]


def test_detail_rows_reproduce_the_scorecard_and_carry_no_identifiers(runs):
    detail = published(
        runs,
        "SELECT assessment_key, child_key, working_days, is_met FROM kpi_assessments_45wd_detail ORDER BY working_days",
    )
    key = "test-key"  # tests/conftest.py
    expected = {  # assessment id -> (child id, working days, met)
        "A1": ("P1", 43, True),
        "A2": ("P2", 45, True),
        "A3": ("P3", 46, False),
        "A4": ("P4", 3, True),
        "A5": ("P5", 0, True),
        "A7": ("P7", 62, False),
        "A8": ("P8", 1, True),
        "A9": ("P9", 1, True),
        "A10": ("P10", 0, True),
    }
    want = sorted(
        (pseudonym(key, f"assessment|884|{a}"), pseudonym(key, f"person|884|{p}"), wd, met)
        for a, (p, wd, met) in expected.items()
    )
    assert sorted(detail) == want
    columns = [
        r[0]
        for r in published(runs, "SELECT column_name FROM (DESCRIBE kpi_assessments_45wd_detail)")
    ]
    assert not {"cina_assessment_id", "cina_person_id", "pers_forename", "pers_surname"} & set(
        columns
    )


# The data-quality report tables keep one row per run (their trend): a second run adds its own.
RUN_HISTORY_TABLES = (
    "dq_report",
    "dq_quarantine_reasons",
    "dq_verdicts",
    "dq_deliveries",
    "dq_value_notes",
    "dq_orphans",
)


def test_second_run_publishes_identical_files(runs):
    first, second = runs["snapshots"][0], runs["snapshots"][1]
    data_files = [
        p for p in sorted((first / "parquet").glob("*.parquet")) if p.stem not in RUN_HISTORY_TABLES
    ]
    assert len(data_files) > 5
    for parquet in data_files:
        assert parquet.read_bytes() == (second / "parquet" / parquet.name).read_bytes(), (
            parquet.name
        )
    tables = [
        r[0]
        for r in published(runs, "SELECT table_name FROM information_schema.tables ORDER BY 1")
        if r[0] not in RUN_HISTORY_TABLES
    ]
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH '{first / 'cscw.duckdb'}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{second / 'cscw.duckdb'}' AS b (READ_ONLY)")
    for t in tables:
        diff = con.execute(
            f"SELECT count(*) FROM ((FROM a.{t} EXCEPT ALL FROM b.{t}) UNION ALL (FROM b.{t} EXCEPT ALL FROM a.{t}))"
        )
        assert diff.fetchall()[0][0] == 0, t


def test_failing_critical_expectation_holds_back_the_only_authority(runs):
    assert runs["codes"][2] == 1  # every authority held back: nothing published
    assert runs["snapshots"][2] == runs["snapshots"][1]  # `current` did not move
    # and the snapshot it points to was not touched
    assert sorted(p.name for p in runs["snapshots"][2].rglob("*")) == sorted(
        p.name for p in runs["snapshots"][0].rglob("*")
    )
    con = duckdb.connect(str(runs["last_warehouse"]), read_only=True)
    try:
        held = con.execute("""SELECT la_code, verdict, reasons FROM quality.verdicts
                              WHERE run_id = (SELECT max_by(run_id, checked_at) FROM quality.check_results)""").fetchall()
    finally:
        con.close()
    assert [(la, verdict) for la, verdict, _ in held] == [("884", "held_back")]
    assert (
        "dbt_tests on fct_assessments" in held[0][2]
        and "working_days_to_authorisation" in held[0][2]
    )


def test_working_days_macro_at_its_boundaries(runs):
    """wd(a, b) through the dbt macro itself, against the built calendar."""
    import json
    import subprocess
    import sys

    from orchestration.lib.settings import DBT_PROJECT_DIR

    pairs = [  # (a, b, working days worked out by hand)
        ("2024-03-28", "2024-04-02", 1),  # Good Friday and Easter Monday 2024
        ("2023-05-05", "2023-05-09", 1),  # Coronation bank holiday 2023-05-08
        ("2022-09-16", "2022-09-20", 1),  # State funeral 2022-09-19
        ("2023-12-22", "2023-12-27", 1),  # Christmas Day and Boxing Day
        ("2024-06-14", "2024-06-17", 1),  # Friday to Monday
        ("2024-06-15", "2024-06-16", 0),  # Saturday to Sunday
        ("2024-06-17", "2024-06-17", 0),  # same day
        ("2024-06-21", "2024-06-17", 0),  # end before start counts as 0
        ("2024-04-02", "2024-06-06", 45),
        ("2024-04-02", "2204-06-06", None),  # outside the calendar: unknown, not a number
    ]
    values = ", ".join(f"(DATE '{a}', DATE '{b}', {i})" for i, (a, b, _) in enumerate(pairs))
    inline = (
        "select i, {{ working_days_between('a', 'b') }} as wd from (values "
        + values
        + ") t(a, b, i) order by i"
    )
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "show",
            "--inline",
            inline,
            "--output",
            "json",
            "--limit",
            "50",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--log-format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = None
    for line in proc.stdout.splitlines():
        data = json.loads(line).get("data", {})
        if "preview" in data:
            shown = json.loads(data["preview"])
    assert [row["wd"] for row in shown] == [wd for _, _, wd in pairs]


def _dbt_test(warehouse, select: str, executable: str = "dbt", target: Path | None = None):
    """`dbt test --select <select>` on a warehouse file, in a process of its own (its run
    results in `target` when given)."""
    import os
    import subprocess
    import sys

    from orchestration.lib.settings import DBT_PROJECT_DIR

    return subprocess.run(
        [
            str(Path(sys.executable).parent / executable),
            "test",
            "--select",
            select,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "CSCW_WAREHOUSE": str(warehouse),
            **({"DBT_TARGET_PATH": str(target)} if target else {}),
        },
        check=False,
    )


def test_dbt_unit_tests_pass(runs):
    """The dbt unit tests (YAML `unit_tests:`), excluded from production builds, run here."""
    proc = _dbt_test(runs["warehouse"], "test_type:unit")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "PASS=" in proc.stdout and " ERROR=0" in proc.stdout


def test_snapshot_detail_test_finds_a_duplicate_unit_and_an_off_month_end_row(runs, tmp_path):
    """`assert_snapshot_details_one_row_per_unit` (tests/scorecard), on a copy of the warehouse
    with two rows added to kpi_cin_open_detail (unit: child_key): a copy of one row (its unit
    twice at the same month end) and a copy moved to the day before its month end."""
    from datetime import timedelta

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(runs["warehouse"], copy)
    con = duckdb.connect(str(copy))
    (child, month_end) = con.execute(
        "SELECT child_key, snapshot_date FROM kpi.kpi_cin_open_detail ORDER BY ALL LIMIT 1"
    ).fetchone()
    one = "FROM kpi.kpi_cin_open_detail WHERE child_key = ? AND snapshot_date = ?"
    # the moved copy first: the second insert would otherwise copy the first's row too
    con.execute(
        f"INSERT INTO kpi.kpi_cin_open_detail SELECT * REPLACE (snapshot_date - 1 AS snapshot_date) {one}",
        [child, month_end],
    )
    con.execute(f"INSERT INTO kpi.kpi_cin_open_detail SELECT * {one}", [child, month_end])
    con.close()

    proc = _dbt_test(copy, "assert_snapshot_details_one_row_per_unit", "cscw-dbt")
    assert proc.returncode == 1, proc.stdout[-4000:]  # the test failed, it did not error
    con = duckdb.connect(str(copy), read_only=True)
    found = con.execute(
        "SELECT kpi_id, snapshot_date, unit_key, problem "
        "FROM audit.assert_snapshot_details_one_row_per_unit ORDER BY problem"
    ).fetchall()
    con.close()
    assert found == [
        ("cin_open", month_end, child, "duplicate unit"),
        (
            "cin_open",
            month_end - timedelta(days=1),
            child,
            "not a published month end",
        ),
    ]


def test_column_checks_find_each_failing_check_per_authority(runs, tmp_path):
    """dim_child's `column_checks` (not_null [child_key], unique [[la_code, child_key]],
    accepted_values {source_format: [ssd, ssda903, cin_census]}) on a copy of the warehouse with
    three rows added, copies of one child X of authority 884:
      884  X again                                  -> unique (la_code, child_key): X's 2 rows
      999  X with source_format 'spreadsheet'       -> accepted_values source_format: 1 row
      999  child_key NULL                           -> not_null child_key: 1 row (its key has a
                                                       null part: not judged by unique)
    so the test fails with 4 rows, and the gate's rows name each check and authority."""
    import json

    from orchestration.lib.quality.dbt_tests import dbt_test_rows
    from orchestration.lib.quality.results import COLUMNS

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(runs["warehouse"], copy)
    con = duckdb.connect(str(copy))
    (child,) = con.execute(
        "SELECT child_key FROM conformed.dim_child WHERE source_format = 'ssd' "
        "ORDER BY child_key LIMIT 1"
    ).fetchone()
    one = "FROM conformed.dim_child WHERE child_key = ?"
    con.execute(
        f"""INSERT INTO conformed.dim_child
            SELECT * REPLACE ('999' AS la_code, 'spreadsheet' AS source_format) {one}
            UNION ALL SELECT * REPLACE ('999' AS la_code, NULL AS child_key) {one}
            UNION ALL SELECT * {one}""",
        [child, child, child],
    )
    con.close()

    target = tmp_path / "target"
    proc = _dbt_test(copy, "dim_child,test_name:column_checks", "cscw-dbt", target)
    assert proc.returncode == 1, proc.stdout[-4000:]  # the test failed, it did not error
    run_results = json.loads((target / "run_results.json").read_text())
    tests = [r for r in run_results["results"] if r["unique_id"].startswith("test.")]
    assert [(r["unique_id"].split(".")[2][:14], r["failures"]) for r in tests] == [
        ("column_checks_", 4)
    ]
    manifest = json.loads((target / "manifest.json").read_text())
    con = duckdb.connect(str(copy), read_only=True)
    rows = [dict(zip(COLUMNS, r)) for r in dbt_test_rows(run_results, manifest, "r", con=con)]
    con.close()
    got = {
        (r["expectation"], r["column_name"], r["la_code"]): (r["success"], r["unexpected_count"])
        for r in rows
    }
    assert got == {
        ("unique", "la_code, child_key", "884"): (False, 2),
        ("accepted_values", "source_format", "999"): (False, 1),
        ("not_null", "child_key", "999"): (False, 1),
    }
