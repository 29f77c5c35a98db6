"""The raw-layer suite and the report catch every fault class of the generator at the right
severity, on a small generated landing (2 authorities, 3,000 children, 1 year, every fault).

Expected outcomes come from the fault manifest and from reading the files (faulty_landing.py):
- quarantine faults -> the injected lines (and duplicate-key holders) are quarantined with the
  right reason class, counted per table in quality.dq_report / dq_quarantine_reasons, and the
  quarantine-rate expectations fail (warning; critical only above the critical limit) exactly
  for the tables whose rate, worked out here, is beyond the limit;
- file_error -> a warning (current file failed; table not delivered), never critical;
- duplicate_drop -> rows not duplicated, volume change 0 against the first drop, no volume warning;
- loaded faults (cp1252_file, extra_column, end_before_start) -> nothing at the raw layer.
"""

from collections import Counter, defaultdict

import pytest

from orchestration.lib.quality import run_suite
from orchestration.lib.quality.aggregates import load_thresholds, raw_load_frames, raw_load_sql

from .faulty_landing import (
    CONTRACT_TABLES,
    failed_tables,
    generate_landing,
    load_twice,
    quarantined_lines,
    read_manifest,
    rows_read,
    thresholds,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    from orchestration.lib.quality import results
    from orchestration.lib.quality.quality_report import build_report

    tmp = tmp_path_factory.mktemp("rawgate")
    landing = generate_landing(tmp / "landing")
    manifest = read_manifest(landing)
    con = load_twice(landing, tmp / "w.duckdb")
    tables = {}

    def batches():
        for code, frame in raw_load_frames(con):
            tables[code] = list(frame["table_name"])
            yield code, frame

    outcome = run_suite("raw_load", batches(), sample_size=1000)
    results.record(
        con,
        results.result_rows(
            outcome, "r2", "gx_raw_load", None, per_table_key="table_name", tables_by_batch=tables
        ),
        "r2",
        "gx_raw_load",
    )
    index = build_report(con, "r2", tmp / "quality")
    yield {"con": con, "landing": landing, "manifest": manifest, "outcome": outcome, "index": index}
    con.close()


def failing_tables(outcome, expectation, column):
    """{(la, table)} that failed one expectation of the suite."""
    out = set()
    for o in outcome.outcomes:
        if o.expectation == expectation and o.column == column and not o.success:
            out |= {(o.batch, r["table_name"]) for r in o.rows}
    return out


def test_every_fault_class_is_in_the_manifest(gate):
    faults = {m["fault"] for m in gate["manifest"]}
    assert {
        "duplicate_key",
        "orphan_fk",
        "missing_required",
        "bad_date",
        "unknown_code",
        "end_before_start",
        "cp1252_file",
        "missing_column",
        "extra_column",
        "empty_file",
        "header_only_file",
        "duplicate_drop",
    } <= faults


def test_quarantined_rows_by_reason_match_the_manifest(gate):
    expected = quarantined_lines(gate["landing"], gate["manifest"])
    want = Counter()
    for (la, table), lines in expected.items():
        for reasons in lines.values():
            for reason in reasons:
                want[(la, table, reason)] += 1
    got = {
        (la, t, r): n
        for la, t, r, n in gate["con"]
        .execute(
            "SELECT la_code, table_name, reason_class, rows_quarantined FROM quality.dq_quarantine_reasons "
            "WHERE run_id = 'r2'"
        )
        .fetchall()
    }
    assert got == dict(want)
    # and the per-table totals in the report (a row counts once whatever its reasons)
    report = {
        (la, t): q
        for la, t, q in gate["con"]
        .execute(
            "SELECT la_code, table_name, rows_quarantined FROM quality.dq_report WHERE run_id = 'r2' AND delivered"
        )
        .fetchall()
    }
    for key, q in report.items():
        assert q == len(expected.get(key, {})), key


def test_quarantine_rate_severity_follows_the_thresholds(gate):
    limits = thresholds()["quarantine_rate"]
    warn, crit, min_rows = (
        float(limits["warning"]),
        float(limits["critical"]),
        int(limits["min_rows"]),
    )
    expected = quarantined_lines(gate["landing"], gate["manifest"])
    read = rows_read(gate["landing"])
    failed = failed_tables(gate["landing"], gate["manifest"])
    want_warn, want_crit = set(), set()
    for key, n in read.items():
        if key in failed or n == 0:
            continue
        rate = len(expected.get(key, {})) / n
        if rate > warn:
            want_warn.add(key)
        if n >= min_rows and rate > crit:
            want_crit.add(key)
    column = "quarantine_rate_warning, quarantine_rate"
    assert want_warn, "the fault spec should push some tables past the warning limit"
    assert (
        failing_tables(gate["outcome"], "expect_column_pair_values_a_to_be_greater_than_b", column)
        == want_warn
    )
    crit_col = "quarantine_rate_critical, quarantine_rate"
    assert (
        failing_tables(
            gate["outcome"], "expect_column_pair_values_a_to_be_greater_than_b", crit_col
        )
        == want_crit
    )
    assert {(o.batch) for o in gate["outcome"].critical_failures} == {la for la, _ in want_crit}


def test_file_errors_are_warnings_on_the_table(gate):
    failed = failed_tables(gate["landing"], gate["manifest"])
    injected = {
        (m["la_code"], m["table"]) for m in gate["manifest"] if m["expected"] == "file_error"
    }
    assert len(injected) == 3
    assert (
        failing_tables(gate["outcome"], "expect_column_values_to_be_in_set", "current_file_failed")
        == failed
    )
    # never delivered in a readable form, so also "not delivered"
    assert (
        failing_tables(gate["outcome"], "expect_column_values_to_be_in_set", "delivered") == failed
    )
    for o in gate["outcome"].outcomes:
        if o.column in ("current_file_failed", "delivered"):
            assert o.severity == "warning"
    rows = (
        gate["con"]
        .execute(
            "SELECT la_code, table_name, worst_severity, files_failed FROM quality.dq_report WHERE run_id = 'r2' "
            "AND NOT delivered"
        )
        .fetchall()
    )
    # each failed table: both drops failed (the duplicated drop holds a copy of the bad file)
    dup_las = {m["la_code"] for m in gate["manifest"] if m["fault"] == "duplicate_drop"}
    assert {(la, t) for la, t, _, _ in rows} == failed
    for la, t, worst, files in rows:
        assert worst == "warning"
        assert files == (2 if la in dup_las else 1)


def test_duplicate_drop_is_not_duplicated_and_volume_is_unchanged(gate):
    con = gate["con"]
    dup = {(m["la_code"], m["table"]) for m in gate["manifest"] if m["fault"] == "duplicate_drop"}
    failed = failed_tables(gate["landing"], gate["manifest"])
    load_thresholds(con)
    frame = con.execute(raw_load_sql()).df()
    by_key = {(r.la_code, r.table_name): r for r in frame.itertuples()}
    expected_q = quarantined_lines(gate["landing"], gate["manifest"])
    read = rows_read(gate["landing"])
    checked = 0
    for key in dup - failed:
        row = by_key[key]
        assert (
            str(row.extract_date)[:10] > str(row.previous_extract_date)[:10]
        )  # the copy is current
        assert row.volume_change == 0
        # rows in raw = the file's rows minus its quarantined rows (counted here), not twice
        n = con.execute(
            f'SELECT count(*) FROM raw."{key[1]}" WHERE la_code = ?', [key[0]]
        ).fetchall()[0][0]
        assert n == read[key] - len(expected_q.get(key, {}))
        checked += 1
    assert checked > 10
    assert not failing_tables(
        gate["outcome"],
        "expect_column_pair_values_a_to_be_greater_than_b",
        "volume_change_warning, volume_change",
    )


def test_row_accounting_and_every_contract_table_per_authority(gate):
    frame_tables = defaultdict(set)
    for o in gate["outcome"].outcomes:
        assert not (o.column == "rows_unaccounted" and not o.success)
    for la, t in (
        gate["con"]
        .execute("SELECT la_code, table_name FROM quality.dq_report WHERE run_id = 'r2'")
        .fetchall()
    ):
        frame_tables[la].add(t)
    assert len(frame_tables) == 2
    for la, tables in frame_tables.items():
        assert set(CONTRACT_TABLES) <= tables
        # an authority sending the SSD is not expected to send the statutory returns too
        assert not [t for t in tables if t.startswith(("ssda903_", "cin_", "csww_"))]


def test_loaded_faults_raise_nothing_at_the_raw_layer(gate):
    # cp1252_file and extra_column load: their tables are not flagged as failed or undelivered
    failed = failed_tables(gate["landing"], gate["manifest"])
    for m in gate["manifest"]:
        if m["fault"] in ("cp1252_file", "extra_column"):
            assert (m["la_code"], m["table"]) not in failed


def test_report_html_is_self_contained_and_names_each_authority(gate):
    index = gate["index"]
    text = index.read_text()
    assert "<script" not in text and "http://" not in text and "https://" not in text
    for la in ("801", "884") if (index.parent / "884.html").exists() else ():
        assert f"{la}.html" in text
        page = (index.parent / f"{la}.html").read_text()
        assert "Quarantined by reason" in page and "Trend over runs" in page
