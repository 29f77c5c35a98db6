"""run_suite on tiny hand-made frames, against the committed suites in expectations/.

Frames use the dtypes DuckDB 2 returns through ``.df()`` (VARCHAR -> str, DATE ->
datetime64[us], INTEGER -> Int32, DOUBLE -> float64); one test pulls them through DuckDB.
Every expected count below is worked out by hand from the rows written here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from orchestration.lib.quality import EXPECTATIONS_DIR, run_suite

NA = None

# --------------------------------------------------------------------------------------
# fixtures: clean batches
# --------------------------------------------------------------------------------------

ASSESSMENT_DTYPES = {
    "la_code": "str",
    "assessment_key": "str",
    "child_key": "str",
    "team_id": "str",
    "service_area_id": "str",
    "assessment_start_date": "datetime64[us]",
    "assessment_auth_date": "datetime64[us]",
    "working_days_to_authorisation": "Int32",
    "extract_date": "datetime64[us]",
}

# la, assessment_key, child_key, team, service area, start, auth, working days, extract
# As in the fact, team_id and service_area_id are never null: an assessment with no recorded
# team gets the unknown member '-1' (rare; see test_mostly_tolerates_a_small_share). The
# unauthorised row 4 has no working days, which is fine.
CLEAN_ASSESSMENTS = [
    ("201", "a000000000000001", "c000000000000001", "T1", "S1", "2024-01-02", "2024-01-09", 5, "2024-04-01"),
    ("201", "a000000000000002", "c000000000000001", "T1", "S1", "2024-02-01", "2024-02-01", 0, "2024-04-01"),
    ("201", "a000000000000003", "c000000000000002", "T2", "S2", "2024-02-05", "2024-03-04", 20, "2024-04-01"),
    ("201", "a000000000000004", "c000000000000003", "T2", "S2", "2024-03-01", NA, NA, "2024-04-01"),
]

SCORECARD_DTYPES = {
    "la_code": "str",
    "kpi_id": "str",
    "kpi_name": "str",
    "period_type": "str",
    "period_start": "datetime64[us]",
    "period_end": "datetime64[us]",
    "period_label": "str",
    "breakdown": "str",
    "breakdown_id": "str",
    "breakdown_name": "str",
    "numerator": "float64",
    "denominator": "float64",
    "value": "float64",
    "unit": "str",  # percentage | count | rate_10k | ratio | mean
    "target": "float64",
    "rag": "str",
    "direction": "str",
    "is_available": "bool",
    "not_available_reason": "str",
}

# la, kpi, name, period type, start, end, label, breakdown, id, name, num, den, value, unit,
# target, rag, direction, is available, not available reason
CLEAN_SCORECARD = [
    ("201", "KPI01", "Assessments within 45 days", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "la", "201", "Council", 8.0, 10.0, 80.0, "percentage", 85.0, "Amber", "improving", True, NA),
    ("201", "KPI01", "Assessments within 45 days", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "team", "T1", "Team 1", 3.0, 4.0, 75.0, "percentage", 85.0, "Red", "worsening", True, NA),
    ("201", "KPI01", "Assessments within 45 days", "quarter", "2024-01-01", "2024-03-31", "Q4 2023-24",
     "la", "201", "Council", 20.0, 25.0, 80.0, "percentage", 85.0, "Amber", NA, True, NA),
    # a count KPI (unit count, no denominator): its value 150 is not a percentage
    ("201", "KPI02", "Assessments started", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "la", "201", "Council", 150.0, NA, 150.0, "count", NA, NA, NA, True, NA),
    # a count whose table was never delivered: published as not available, nothing measured
    ("201", "KPI03", "Open cases without an allocated worker", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "la", "201", "Council", NA, NA, NA, "count", 0.0, NA, NA, False, "ssd_involvements not delivered"),
]


def frame(rows: list[tuple], dtypes: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(rows, columns=list(dtypes))
    for column, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            df[column] = pd.to_datetime(df[column]).astype(dtype)
        else:
            df[column] = df[column].astype(dtype)
    return df


def assessments(rows=CLEAN_ASSESSMENTS) -> pd.DataFrame:
    return frame(list(rows), ASSESSMENT_DTYPES)


def scorecard(rows=CLEAN_SCORECARD) -> pd.DataFrame:
    return frame(list(rows), SCORECARD_DTYPES)


def replace(rows, index, **changes):
    """Copy of rows with row ``index`` changed (by column name)."""
    columns = list(ASSESSMENT_DTYPES if len(rows[0]) == len(ASSESSMENT_DTYPES) else SCORECARD_DTYPES)
    out = [list(r) for r in rows]
    for column, value in changes.items():
        out[index][columns.index(column)] = value
    return [tuple(r) for r in out]


def failed(outcome):
    """(expectation, column, severity, unexpected_count, sample) of each failure."""
    return sorted(
        ((o.expectation, o.column, o.severity, o.unexpected_count, o.sample)
         for o in outcome.failures),
        key=lambda f: f[:4],
    )


# --------------------------------------------------------------------------------------
# the committed context must not change (only expectations/uncommitted/ may be written)
# --------------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "uncommitted" not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module", autouse=True)
def committed_context_untouched():
    before = snapshot(EXPECTATIONS_DIR)
    yield
    assert snapshot(EXPECTATIONS_DIR) == before, "a test wrote into committed expectations/"


# --------------------------------------------------------------------------------------
# clean batches
# --------------------------------------------------------------------------------------


def test_clean_assessments_pass_every_expectation():
    outcome = run_suite("fct_assessments", [("201", assessments())])
    assert outcome.passed
    assert outcome.critical_failures == [] and outcome.warnings == []
    assert outcome.batches == ["201"]
    assert len(outcome.outcomes) == 8  # the suite's 8 expectations, once each
    assert all(o.success for o in outcome.outcomes)
    assert {o.severity for o in outcome.outcomes} == {"critical", "warning"}
    # 4 rows each; the working-days not-null check sees only the 3 authorised rows
    # (row_condition assessment_auth_date is not null), the 6th expectation in the suite.
    assert [o.element_count for o in outcome.outcomes] == [4] * 5 + [3] + [4] * 2
    assert outcome.data_docs_index is None


def test_clean_scorecard_passes_every_expectation():
    outcome = run_suite("kpi_scorecard", [("201", scorecard())])
    assert outcome.passed
    # 7 not-null + 9 other critical (unit in set, unit not null) + 9 availability critical
    # (is_available set; 5 nothing measured and a reason when not available; no reason and a
    # numerator when available) + 2 warning
    assert len(outcome.outcomes) == 27
    assert all(o.success for o in outcome.outcomes), failed(outcome)
    # the 0-100 check sees only the 3 percentage rows, not the count rows (value 150, none)
    (value,) = [o for o in outcome.outcomes
                if o.column == "value" and o.expectation == "expect_column_values_to_be_between"]
    assert (value.element_count, value.unexpected_count) == (3, 0)
    # the availability checks see the one row not available, and the 4 available ones
    (nothing,) = [o for o in outcome.outcomes if o.column == "value" and o.expectation == "expect_column_values_to_be_null"]
    (numerator,) = [o for o in outcome.outcomes
                    if o.column == "numerator" and o.expectation == "expect_column_values_to_not_be_null"]
    assert (nothing.element_count, numerator.element_count) == (1, 4)


# --------------------------------------------------------------------------------------
# defects, one at a time, with their hand-worked results
# --------------------------------------------------------------------------------------

A = CLEAN_ASSESSMENTS
S = CLEAN_SCORECARD

CASES = {
    # row 2 takes row 1's key: both rows are unexpected
    "duplicate assessment_key": (
        "fct_assessments",
        lambda: assessments(replace(A, 1, assessment_key="a000000000000001")),
        [("expect_column_values_to_be_unique", "assessment_key", "critical", 2,
          ["a000000000000001", "a000000000000001"])],
        False,
    ),
    "null child_key": (
        "fct_assessments",
        lambda: assessments(replace(A, 2, child_key=NA)),
        [("expect_column_values_to_not_be_null", "child_key", "critical", 1, [None])],
        False,
    ),
    "bad la_code": (
        "fct_assessments",
        lambda: assessments(replace(A, 3, la_code="20")),
        [("expect_column_values_to_match_regex", "la_code", "critical", 1, ["20"])],
        False,
    ),
    # row 1 authorised on a typed 2204-01-09, outside the working-day calendar, so its working
    # days are NULL: 1 of the 3 authorised rows is unexpected. (2204 is after the start, and
    # the 0-400 check ignores NULLs: nothing else fails.)
    "authorised without working days": (
        "fct_assessments",
        lambda: assessments(
            replace(A, 0, assessment_auth_date="2204-01-09", working_days_to_authorisation=NA)
        ),
        [("expect_column_values_to_not_be_null", "working_days_to_authorisation", "critical", 1,
          [None])],
        False,
    ),
    # rows 1-2 only, row 2 with the unknown team: 1 of 2 (50% recorded) is below mostly 0.95,
    # a warning that does not block
    "unknown team on 1 of 2 rows": (
        "fct_assessments",
        lambda: assessments(replace(A[:2], 1, team_id="-1", service_area_id="-1")),
        [("expect_column_values_to_not_be_in_set", "team_id", "warning", 1, ["-1"])],
        True,
    ),
    # (an assessment authorised before it started is the dbt test dates_in_order, judged on
    # a share per authority: tests/unit/quality/test_dbt_tests.py, tests/integration/test_verdicts.py)
    # 12 of 10: numerator above denominator, and the percentage 120 is above 100
    "numerator above denominator": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 0, numerator=12.0, value=120.0)),
        [("expect_column_pair_values_a_to_be_greater_than_b", "denominator, numerator",
          "critical", 1, [[10.0, 12.0]]),
         ("expect_column_values_to_be_between", "value", "critical", 1, [120.0])],
        False,
    ),
    # the team row restated as the la row: two rows share one key
    "duplicate scorecard key": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 1, breakdown="la", breakdown_id="201", breakdown_name="Council")),
        [("expect_compound_columns_to_be_unique",
          "kpi_id, period_type, period_start, breakdown, breakdown_id", "critical", 2, None)],
        False,
    ),
    # row 1 (a percentage, 8 of 10) misstated as 120: only the 0-100 check fails
    "percentage above 100": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 0, value=120.0)),
        [("expect_column_values_to_be_between", "value", "critical", 1, [120.0])],
        False,
    ),
    # row 5 (not available: ssd_involvements never delivered) shows a count of 0 as if measured
    "value on a measure not available": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 4, numerator=0.0, value=0.0)),
        [("expect_column_values_to_be_null", "numerator", "critical", 1, [0.0]),
         ("expect_column_values_to_be_null", "value", "critical", 1, [0.0])],
        False,
    ),
    "not available without a reason": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 4, not_available_reason=NA)),
        [("expect_column_values_to_not_be_null", "not_available_reason", "critical", 1, None)],
        False,
    ),
    # row 1 loses its numerator (the NULL of a measure not available leaking into one that is)
    "available without a numerator": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 0, numerator=NA)),
        [("expect_column_values_to_not_be_null", "numerator", "critical", 1, None)],
        False,
    ),
    "unknown rag": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 1, rag="Purple")),
        [("expect_column_values_to_be_in_set", "rag", "warning", 1, ["Purple"])],
        True,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_defect_is_detected_with_its_severity(case):
    suite, make, expected, passed = CASES[case]
    outcome = run_suite(suite, [("201", make())])
    got, expected = failed(outcome), sorted(expected, key=lambda e: e[:4])
    assert [g[:4] for g in got] == [e[:4] for e in expected]
    for g, e in zip(got, expected):
        if e[4] is not None:  # compound-key samples are checked in their own test
            assert g[4] == e[4]
    assert outcome.passed is passed
    severities = {e[2] for e in expected}
    assert bool(outcome.critical_failures) == ("critical" in severities)
    assert bool(outcome.warnings) == ("warning" in severities)


def test_duplicate_scorecard_key_reports_the_key():
    df = scorecard(replace(S, 1, breakdown="la", breakdown_id="201", breakdown_name="Council"))
    (failure,) = run_suite("kpi_scorecard", [("201", df)]).failures
    key = {"kpi_id": "KPI01", "period_type": "month", "period_start": "2024-01-01",
           "breakdown": "la", "breakdown_id": "201"}
    assert failure.sample == [key, key]
    assert [{k: r[k] for k in key} for r in failure.rows] == [key, key]


def test_failing_rows_are_identified_by_key():
    df = assessments(replace(A, 2, child_key=NA))
    (failure,) = run_suite("fct_assessments", [("201", df)]).failures
    assert failure.rows == [{"child_key": None, "assessment_key": "a000000000000003"}]


def test_mostly_tolerates_a_small_share():
    # team_id not '-1' mostly 0.95: 1 unknown team of 20 rows (95% recorded) passes,
    # 2 of 20 (90%) warns.
    rows = [
        ("201", f"a{i:015d}", f"c{i:015d}", "T1", "S1", "2024-01-02", NA, NA, "2024-04-01")
        for i in range(20)
    ]
    one = replace(rows, 0, team_id="-1", service_area_id="-1")
    two = replace(one, 1, team_id="-1", service_area_id="-1")
    outcome = run_suite("fct_assessments", [("one", assessments(one)), ("two", assessments(two))])
    assert [(o.batch, o.column, o.unexpected_count, o.sample) for o in outcome.failures] == [
        ("two", "team_id", 2, ["-1", "-1"])
    ]
    assert outcome.passed


def test_unauthorised_assessment_without_working_days_is_fine():
    # rows 3-4 only: row 4 is not authorised and has no working days; the working-days
    # not-null check sees only the 1 authorised row (row 3, 20 working days).
    outcome = run_suite("fct_assessments", [("201", assessments(A[2:]))])
    assert outcome.failures == []
    (check,) = [
        o for o in outcome.outcomes
        if o.expectation == "expect_column_values_to_not_be_null"
        and o.column == "working_days_to_authorisation"
    ]
    assert (check.severity, check.element_count, check.unexpected_count) == ("critical", 1, 0)


def test_authorised_without_working_days_is_identified_by_key():
    df = assessments(
        replace(A, 0, assessment_auth_date="2204-01-09", working_days_to_authorisation=NA)
    )
    (failure,) = run_suite("fct_assessments", [("201", df)]).failures
    assert (failure.element_count, failure.unexpected_count) == (3, 1)
    assert [r["assessment_key"] for r in failure.rows] == ["a000000000000001"]


def test_only_percentages_are_held_to_0_100():
    # a rate per 10,000 children: 5 of 200 children -> 250 (numerator <= denominator, so the
    # pair check passes too). It has a denominator but is not a percentage: no failure.
    rate = ("201", "KPI04", "Assessments per 10000 children", "month", "2024-01-01",
            "2024-01-31", "Jan 2024", "la", "201", "Council", 5.0, 200.0, 250.0, "rate_10k",
            NA, NA, NA, True, NA)
    outcome = run_suite("kpi_scorecard", [("201", scorecard(S + [rate]))])
    assert outcome.failures == [], failed(outcome)
    (value,) = [o for o in outcome.outcomes
                if o.column == "value" and o.expectation == "expect_column_values_to_be_between"]
    assert (value.element_count, value.unexpected_count) == (3, 0)  # the 3 percentage rows

    # the same row labelled a percentage is out of range: 1 of 4 percentage rows
    as_percentage = replace([rate], 0, unit="percentage")
    outcome = run_suite("kpi_scorecard", [("201", scorecard(S + as_percentage))])
    assert failed(outcome) == [
        ("expect_column_values_to_be_between", "value", "critical", 1, [250.0])
    ]
    assert not outcome.passed


# --------------------------------------------------------------------------------------
# batches
# --------------------------------------------------------------------------------------


def test_failure_in_second_batch_carries_its_label():
    second = [("202",) + r[1:] for r in replace(A, 1, assessment_key="a000000000000001")]

    def batches():  # a generator: consumed one frame at a time
        yield "201", assessments()
        yield "202", assessments(second)

    outcome = run_suite("fct_assessments", batches())
    assert outcome.batches == ["201", "202"]
    assert len(outcome.outcomes) == 16  # 8 expectations x 2 batches
    assert [(o.batch, o.expectation, o.unexpected_count) for o in outcome.failures] == [
        ("202", "expect_column_values_to_be_unique", 2)
    ]
    assert not outcome.passed
    assert all(o.success for o in outcome.outcomes if o.batch == "201")


def test_uniqueness_is_per_batch():
    # the same keys in two authorities are not duplicates
    other = [("202",) + r[1:] for r in A]
    outcome = run_suite("fct_assessments", [("201", assessments()), ("202", assessments(other))])
    assert outcome.failures == []


def test_no_batches():
    outcome = run_suite("fct_assessments", iter(()))
    assert outcome.outcomes == [] and outcome.batches == [] and outcome.passed


def test_missing_column_is_a_failure_not_a_crash():
    # assessment_auth_date is the row_condition of the working-days not-null check (critical).
    df = assessments().drop(columns=["assessment_auth_date"])
    outcome = run_suite("fct_assessments", [("201", df)])
    assert [(f.expectation, f.column, f.severity) for f in outcome.failures] == [
        ("expect_column_values_to_not_be_null", "working_days_to_authorisation", "critical"),
    ]
    for failure in outcome.failures:
        assert failure.unexpected_count is None
        assert failure.observed.startswith("error: ") and "assessment_auth_date" in failure.observed
    assert not outcome.passed


def test_frames_pulled_through_duckdb():
    duckdb = pytest.importorskip("duckdb")
    from orchestration.lib.quality.batches import iter_partitions

    con = duckdb.connect()
    try:
        con.execute(
            """
            CREATE TABLE fct_assessments AS
            SELECT la_code, assessment_key, child_key, team_id, service_area_id,
                   CAST(s AS DATE) AS assessment_start_date, CAST(a AS DATE) AS assessment_auth_date,
                   CAST(w AS INTEGER) AS working_days_to_authorisation,
                   DATE '2024-04-01' AS extract_date
            FROM (VALUES
                ('201', 'a000000000000001', 'c000000000000001', 'T1', 'S1', '2024-01-02', '2024-01-09', 5),
                ('201', 'a000000000000002', 'c000000000000002', 'T1', NULL, '2024-02-01', NULL, NULL),
                ('202', 'a000000000000001', 'c000000000000009', '-1', '-1', '2024-01-10', '2024-01-18', 6),
                ('202', 'a000000000000003', 'c000000000000010', 'T9', 'S9', '2024-01-10', '2024-01-20', 8)
            ) AS t(la_code, assessment_key, child_key, team_id, service_area_id, s, a, w)
            """
        )
        outcome = run_suite("fct_assessments", iter_partitions(con, "fct_assessments", by="la_code"))
    finally:
        con.close()
    assert outcome.batches == ["201", "202"]
    assert outcome.passed
    (warning,) = outcome.warnings
    # 202: one of its two assessments has the unknown team, 50% recorded < 95%
    assert (warning.batch, warning.column, warning.unexpected_count, warning.sample) == (
        "202", "team_id", 1, ["-1"]
    )


# --------------------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------------------


def test_summary_markdown_lists_failures_critical_first():
    df = assessments(replace(replace(A, 0, team_id="-1", service_area_id="-1"), 2, child_key=NA))
    text = run_suite("fct_assessments", [("201", df)]).summary_markdown()
    lines = text.splitlines()
    assert "1 critical, 1 warning" in lines[0]
    rows = [line for line in lines if line.startswith("| critical") or line.startswith("| warning")]
    assert rows[0].startswith("| critical | 201 | expect_column_values_to_not_be_null | child_key | 1 of 4")
    assert rows[1].startswith("| warning | 201 | expect_column_values_to_not_be_in_set | team_id | 1 of 4")


def test_summary_markdown_when_clean():
    text = run_suite("kpi_scorecard", [("201", scorecard())]).summary_markdown()
    assert text.endswith("All expectations passed.")


def test_data_docs_built_in_docs_dir(tmp_path):
    docs = tmp_path / "docs"
    outcome = run_suite(
        "fct_assessments",
        [("201", assessments()), ("202", assessments())],
        docs_dir=docs,
        run_name="dagster run 1",
    )
    assert outcome.data_docs_index == docs / "index.html"
    assert outcome.data_docs_index.is_file()
    pages = sorted(p.name for p in (docs / "validations" / "fct_assessments").rglob("*.html"))
    assert pages == ["201.html", "202.html"]
    assert (docs / "validations" / "fct_assessments" / "dagster_run_1").is_dir()


def test_unknown_suite_is_a_clear_error():
    with pytest.raises(LookupError, match="no_such_suite"):
        run_suite("no_such_suite", [])
