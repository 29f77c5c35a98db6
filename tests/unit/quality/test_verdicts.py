"""The gate's verdicts on hand-made check results and load log (values worked out by hand).

Run r2 (r1 is an earlier run, which published 201 and 202):
- 201 read files in r1 and r2, has a failed *warning* and a passed critical: published;
- 202 read files in r1 only, nothing failed: unchanged;
- 203 read files in r2, one failed critical result on ssd_cp_plans: held back, reason names it;
- 204 never read files, but a failed critical result names it (e.g. a refused drop): held back.
"""

from datetime import datetime

import duckdb
import pytest

from orchestration.lib.ingest.loader import ensure_meta
from orchestration.lib.quality import results
from orchestration.lib.quality.verdicts import (
    authorities_with_new_drops,
    ensure_verdicts_table,
    exit_code,
    judge,
    read_verdicts,
    record_publication,
)

T0 = datetime(2024, 4, 1, 9, 0)


# every row says 10 elements were checked (element_count), so a reason reads "n failing of 10 checked"
def row(
    check, la, table, severity, success, unexpected=None, column=None, description=None, run="r2"
):
    return (
        run,
        T0,
        check,
        "suite",
        la,
        table,
        "expect_something",
        column,
        severity,
        success,
        unexpected,
        10,
        None,
        description,
    )


@pytest.fixture
def con():
    c = duckdb.connect()
    ensure_meta(c)
    for run, la in [("r1", "201"), ("r1", "202"), ("r2", "201"), ("r2", "203")]:
        c.execute(
            "INSERT INTO raw_meta.load_log (run_id, la_code, table_name) VALUES (?, ?, 'ssd_person')",
            [run, la],
        )
    ensure_verdicts_table(c)
    c.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons) VALUES ('r1', '201', 'published', NULL), ('r1', '202', 'published', NULL)"
    )
    results.record(
        c,
        [
            row("gx_raw_load", "201", "ssd_person", "warning", False, 1),
            row("gx_raw_load", "201", "ssd_person", "critical", True, 0),
            row("gx_raw_load", "202", "ssd_person", "critical", True, 0),
            row(
                "gx_raw_load",
                "203",
                "ssd_cp_plans",
                "critical",
                False,
                1,
                "quarantine_rate",
                "Quarantine rate at or below the critical limit",
            ),
            row(
                "gx_raw_load",
                "203",
                "ssd_cp_plans",
                "critical",
                False,
                1,
                "quarantine_rate",
                "old run",
                run="r1",
            ),
        ],
        "r2",
        "gx_raw_load",
    )
    results.record(
        c,
        [
            row(
                "ingest_refused",
                "204",
                "ssd_person",
                "critical",
                False,
                None,
                None,
                "The drop folder is a valid past date",
            )
        ],
        "r2",
        "ingest_refused",
    )
    yield c
    c.close()


def test_each_authority_is_judged_from_its_own_results(con):
    got = {v["la_code"]: (v["verdict"], v["reasons"]) for v in judge(con, "r2")}
    assert got == {
        "201": ("published", None),
        "202": ("unchanged", None),
        "203": (
            "held_back",
            (
                'gx_raw_load on ssd_cp_plans: "Quarantine rate at or below the critical limit" not met '
                "(quarantine_rate; 1 failing of 10 checked)"
            ),
        ),
        "204": (
            "held_back",
            'ingest_refused on ssd_person: "The drop folder is a valid past date" not met',
        ),
    }


def test_a_drop_read_by_a_run_that_did_not_publish_it_is_published_when_it_passes(con):
    """205's drop was read by r0, a run killed before its gate (no verdicts); 206's by r1, which
    held 206 back. Neither delivers in r2 and neither fails now: both drops are published by r2,
    not "unchanged" (which would say the published rows did not change)."""
    con.execute(
        "INSERT INTO raw_meta.load_log (run_id, la_code, table_name) VALUES "
        "('r0', '205', 'ssd_person'), ('r1', '206', 'ssd_person')"
    )
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons) VALUES ('r1', '206', 'held_back', 'an old reason')"
    )
    got = {v["la_code"]: v["verdict"] for v in judge(con, "r2")}
    assert (got["205"], got["206"], got["202"]) == ("published", "published", "unchanged")


def test_a_drop_published_by_a_later_run_is_not_new_again(con):
    """207's drop was loaded at 09:00 by r0, killed before its gate (no verdicts). r1, which read
    nothing, published 207 at 10:00 (its snapshot completed). So r2 finds nothing new for 207:
    "unchanged", and not "published" (a new drop) in every run from now on.
    208 was published at 08:00 by r1 and a new drop of it loaded at 09:00 by r0b (killed): that
    drop is still unpublished, so r2 publishes it."""
    con.execute(
        "INSERT INTO raw_meta.load_log (run_id, la_code, table_name, loaded_at) VALUES "
        "('r0', '207', 'ssd_person', TIMESTAMP '2026-12-01 09:00'), "
        "('r0b', '208', 'ssd_person', TIMESTAMP '2026-12-01 09:00')"
    )
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons, judged_at) VALUES "
        "('r1', '207', 'published', NULL, TIMESTAMP '2026-12-01 10:00'), "
        "('r1', '208', 'published', NULL, TIMESTAMP '2026-12-01 08:00')"
    )
    record_publication(con, "r1", "snapshot-r1")
    assert authorities_with_new_drops(con, "r2")[0] == ["201", "203", "208"]
    got = {v["la_code"]: v["verdict"] for v in judge(con, "r2")}
    assert (got["207"], got["208"]) == ("unchanged", "published")
    # r2's verdicts carry their time, so once r2's snapshot is published r3 finds 208's drop
    # published; 203, held back by r2, still has its drop to publish.
    record_publication(con, "r2", "snapshot-r2")
    assert authorities_with_new_drops(con, "r3")[0] == ["203"]


def test_a_drop_whose_publication_never_completed_is_still_new(con):
    """209's drop was read by r1, which passed its gate ("published" verdict at 10:00) and was
    killed while writing its snapshot (no publications row). r2, reading nothing, must publish
    209 again: "published", not "unchanged" (the published files never held that drop).
    210's drop was read by r1 too, and a later run r1b published it (10:30, snapshot completed):
    not new."""
    con.execute(
        "INSERT INTO raw_meta.load_log (run_id, la_code, table_name, loaded_at) VALUES "
        "('r1', '209', 'ssd_person', TIMESTAMP '2026-12-01 09:00'), "
        "('r1', '210', 'ssd_person', TIMESTAMP '2026-12-01 09:00')"
    )
    con.execute(
        "INSERT INTO quality.verdicts (run_id, la_code, verdict, reasons, judged_at) VALUES "
        "('r1', '209', 'published', NULL, TIMESTAMP '2026-12-01 10:00'), "
        "('r1', '210', 'published', NULL, TIMESTAMP '2026-12-01 10:00'), "
        "('r1b', '210', 'published', NULL, TIMESTAMP '2026-12-01 10:30')"
    )
    record_publication(con, "r1b", "snapshot-r1b")
    new, _ = authorities_with_new_drops(con, "r2")
    assert ("209" in new, "210" in new) == (True, False)
    got = {v["la_code"]: v["verdict"] for v in judge(con, "r2")}
    assert (got["209"], got["210"]) == ("published", "unchanged")


def test_a_failure_without_an_authority_holds_back_every_authority(con):
    results.record(
        con,
        [
            row(
                "dbt_tests",
                None,
                "fct_visits",
                "critical",
                False,
                3,
                "visit_key",
                "unique_fct_visits_visit_key",
            )
        ],
        "r2",
        "dbt_tests",
    )
    got = {v["la_code"]: v for v in judge(con, "r2")}
    assert {la: v["verdict"] for la, v in got.items()} == dict.fromkeys(
        ("201", "202", "203", "204"), "held_back"
    )
    reason = (
        'dbt_tests on fct_visits: "unique_fct_visits_visit_key" not met (visit_key; 3 failing of 10 checked) '
        "[not attributable to one authority: holds back every authority]"
    )
    assert got["201"]["reasons"] == reason
    assert got["203"]["reasons"].startswith(
        reason + "; gx_raw_load on ssd_cp_plans"
    )  # and its own failure


def test_verdicts_are_replaced_for_a_rerun_and_kept_per_run(con):
    judge(con, "r2")
    judge(con, "r2")
    assert len(read_verdicts(con, "r2")) == 4
    assert read_verdicts(con, "r9") == []


@pytest.mark.parametrize(
    "succeeded, verdicts, code",
    [
        (True, ["published", "unchanged"], 0),
        (True, ["unchanged"], 0),
        (True, [], 0),
        (True, ["published", "held_back"], 3),
        (True, ["unchanged", "held_back"], 3),
        (True, ["held_back", "held_back"], 1),
        (False, ["published"], 1),
    ],
)
def test_exit_codes(succeeded, verdicts, code):
    assert (
        exit_code(succeeded, [{"la_code": str(i), "verdict": v} for i, v in enumerate(verdicts)])
        == code
    )


def test_report_index_shows_each_verdict_with_its_reasons(con, tmp_path):
    from orchestration.lib.quality.quality_report import build_report

    judge(con, "r2")
    text = build_report(con, "r2", tmp_path).read_text()
    section = text.split("<h2>Verdicts</h2>", 1)[1].split("<h2>", 1)[0]
    assert section.index(">203<") < section.index(">201<")  # held back first
    assert "held_back" in section and "Quarantine rate at or below the critical limit" in section
    assert ">published<" in section and ">unchanged<" in section
