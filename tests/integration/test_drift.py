"""Drift against the last publication, end to end through `cscw run` (three runs on one warehouse).

Every drop is a copy of tests/fixtures/landing_small/884 (the la_code comes from the folder). In
the "gutted" drop ssd_cin_assessments keeps only A8, A9 and A10 (A1-A7 removed). Worked out by
hand from the fixture (working days in tests/integration/test_pipeline.py), assessments_45wd at
authority level, authorised in the period, met within 45 working days:

 period        published (all ten)        gutted (A8, A9, A10)
 Jun 2024      A1 A2 A3 A9 A10  4/5 = 80  A9 A10      2/2 = 100   units 5 -> 2: under 20, not judged
 May 2024      A5               1/1 = 100 none        0/0 = none  value lost
 Apr 2024      A4               1/1 = 100 none        0/0 = none  value lost
 Mar 2024      A7               0/1 = 0   none        0/0 = none  value lost
 May 2023      A8               1/1 = 100 A8          1/1 = 100
 2024-25 Q1    6/7                        2/2                     still a value
 2023-24 Q4    A7               0/1 = 0   none        0/0 = none  value lost
 2023-24 Q1    A8               1/1       A8          1/1
 2023-24 year  A7 A8            1/2 = 50  A8          1/1 = 100   still a value
 -> 4 measure-periods of assessments_45wd lose their value (the earliest by period type and
    start: month Mar 2024, 0.0 -> none). The measures fed by the episodes, persons and teams do
    not change (those files are the same); no period disappears (the window still starts
    2018-04-01: the data dates 2024-07-31 and 2024-08-31 are in the same financial year as
    2024-06-30) and no data date moves backwards.

run 1  201, 884 deliver 2024-06-30 (clean)                 -> exit 0, both published
run 2  201 delivers 2024-07-31 (clean)                     -> published
       884 delivers 2024-07-31 gutted                      -> held back: drift_values_lost
       -> exit 3; run 1's snapshot byte-identical; 884 keeps its run-1 rows
run 3  884 delivers 2024-08-31 gutted, `--accept-change 884` -> published; 201 unchanged
       -> exit 0; the acceptance is an info row of quality.check_results and in the report
"""

import contextlib
import hashlib
import io
import json
import shutil

import duckdb
import pytest

from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow

DROP = FIXTURES / "landing_small" / "884" / "2024-06-30"
KEEP = ("A8,", "A9,", "A10,")  # assessments kept by the gutted drop
DRIFT_REASON = (
    'drift_publication on kpi_scorecard: "Every measure that had a value in the published snapshot '
    "still has one"
)


def drop(landing, la, day, gutted=False):
    folder = landing / la / day
    shutil.copytree(DROP, folder)
    if gutted:
        assessments = folder / "ssd_cin_assessments.csv"
        header, *rows = assessments.read_text().splitlines(keepends=True)
        assessments.write_text(header + "".join(r for r in rows if r.startswith(KEEP)))


def fingerprint(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from orchestration.cli import main
    from orchestration.lib.publish import current_snapshot
    from orchestration.lib.settings import load_settings

    work = tmp_path_factory.mktemp("drift")
    landing = work / "landing"
    own = [
        "--landing",
        str(landing),
        "--warehouse",
        str(work / "warehouse.duckdb"),
        "--publish",
        str(work / "publish"),
    ]
    plan = [
        ([("201", "2024-06-30", False), ("884", "2024-06-30", False)], []),
        ([("201", "2024-07-31", False), ("884", "2024-07-31", True)], []),
        ([("884", "2024-08-31", True)], ["--accept-change", "884"]),
    ]
    out = {"codes": [], "snapshots": [], "printed": [], "files": [], "run_ids": []}
    for drops, extra in plan:
        for la, day, gutted in drops:
            drop(landing, la, day, gutted)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            out["codes"].append(main(["run", *own, *extra]))
        out["printed"].append(printed.getvalue())
        snapshot = current_snapshot(work / "publish")
        out["snapshots"].append(snapshot)
        out["files"].append({s.name: fingerprint(s) for s in out["snapshots"] if s})
    out["warehouse"] = work / "warehouse.duckdb"
    out["report"] = load_settings().quality_dir / "report" / "index.html"
    return out


def warehouse(runs, sql, params=()):
    con = duckdb.connect(str(runs["warehouse"]), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def run_id(runs, n):
    """The n-th run's id (0-based), in the order the gate judged them."""
    ids = warehouse(runs, "SELECT run_id FROM quality.verdicts GROUP BY run_id ORDER BY min(rowid)")
    return ids[n][0]


def drift(runs, n):
    return warehouse(
        runs,
        """SELECT la_code, expectation, severity, success, unexpected_count, observed, description
                              FROM quality.check_results WHERE run_id = ? AND check_name = 'drift_publication'
                              AND NOT success ORDER BY la_code, expectation""",
        [run_id(runs, n)],
    )


def manifest(snapshot):
    return json.loads((snapshot / "manifest.json").read_text())


def verdicts(snapshot):
    return {v["la_code"]: v["verdict"] for v in manifest(snapshot)["verdicts"]}


def scorecard(snapshot, la, label):
    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        return con.execute(
            """SELECT numerator, denominator FROM kpi_scorecard WHERE kpi_id = 'assessments_45wd'
                              AND breakdown = 'la' AND la_code = ? AND period_label = ?""",
            [la, label],
        ).fetchall()
    finally:
        con.close()


def test_first_publication_has_nothing_to_compare(runs):
    assert runs["codes"][0] == 0
    assert verdicts(runs["snapshots"][0]) == {"201": "published", "884": "published"}
    assert drift(runs, 0) == []
    observed = warehouse(
        runs,
        """SELECT DISTINCT observed FROM quality.check_results
                                  WHERE run_id = ? AND check_name = 'drift_publication'""",
        [run_id(runs, 0)],
    )
    assert observed == [("no previous publication: nothing to compare",)]


def test_lost_values_hold_back_only_their_authority(runs):
    assert runs["codes"][1] == 3
    second = runs["snapshots"][1]
    assert verdicts(second) == {"201": "published", "884": "held_back"}
    [(la, expectation, severity, success, count, observed, description)] = drift(runs, 1)
    assert (la, expectation, severity, success, count) == (
        "884",
        "drift_values_lost",
        "critical",
        False,
        4,
    )
    assert "e.g. assessments_45wd month Mar 2024: 0.0 -> none" in description
    assert observed.endswith("measures: assessments_45wd")
    reasons = {v["la_code"]: v["reasons"] for v in manifest(second)["verdicts"]}
    assert reasons["884"].startswith(DRIFT_REASON) and "(value; 4 failing)" in reasons["884"]
    assert reasons["201"] is None
    # 884 keeps its run-1 figures (June 4/5, no July); 201's July is published
    assert (
        scorecard(second, "884", "Jun 2024") == [(4, 5)]
        and scorecard(second, "884", "Jul 2024") == []
    )
    assert scorecard(second, "201", "Jul 2024") == [(0, 0)]
    printed = [line for line in runs["printed"][1].splitlines() if "HELD BACK" in line]
    assert len(printed) == 1 and "884" in printed[0] and DRIFT_REASON in printed[0]


def test_previous_snapshot_is_byte_identical(runs):
    first = runs["snapshots"][0].name
    assert runs["files"][1][first] == runs["files"][0][first]
    assert runs["files"][2][first] == runs["files"][0][first]


def test_accepted_change_publishes_and_is_recorded(runs):
    assert runs["codes"][2] == 0
    third = runs["snapshots"][2]
    assert third != runs["snapshots"][1]
    assert verdicts(third) == {"201": "unchanged", "884": "published"}
    [(la, expectation, severity, success, count, observed, _)] = drift(runs, 2)
    assert (la, expectation, severity, success, count) == (
        "884",
        "drift_values_lost",
        "info",
        False,
        4,
    )
    assert observed.startswith(
        "accepted by --accept-change (884): 4 measure-periods lost their value"
    )
    # the gutted figures are published now: June 2 of 2, May nothing
    assert scorecard(third, "884", "Jun 2024") == [(2, 2)] and scorecard(
        third, "884", "May 2024"
    ) == [(0, 0)]
    report = runs["report"].read_text()
    section = report.split("<h2>Accepted changes</h2>")[1].split("<h2>")[0]
    assert (
        "884" in section
        and "drift_values_lost" in section
        and "accepted by --accept-change (884)" in section
    )
    assert "accepting drift against the last publication for: 884" in runs["printed"][2]
