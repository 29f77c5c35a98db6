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
CLEAN_ASSESSMENTS = [
    ("201", "a000000000000001", "c000000000000001", "T1", "S1", "2024-01-02", "2024-01-09", 5, "2024-04-01"),
    ("201", "a000000000000002", "c000000000000001", "T1", "S1", "2024-02-01", "2024-02-01", 0, "2024-04-01"),
    ("201", "a000000000000003", "c000000000000002", "T2", NA, "2024-02-05", "2024-03-04", 20, "2024-04-01"),
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
    "target": "float64",
    "rag": "str",
    "direction": "str",
}

# la, kpi, name, period type, start, end, label, breakdown, id, name, num, den, value, target, rag, direction
CLEAN_SCORECARD = [
    ("201", "KPI01", "Assessments within 45 days", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "la", "201", "Council", 8.0, 10.0, 80.0, 85.0, "Amber", "improving"),
    ("201", "KPI01", "Assessments within 45 days", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "team", "T1", "Team 1", 3.0, 4.0, 75.0, 85.0, "Red", "worsening"),
    ("201", "KPI01", "Assessments within 45 days", "quarter", "2024-01-01", "2024-03-31", "Q4 2023-24",
     "la", "201", "Council", 20.0, 25.0, 80.0, 85.0, "Amber", NA),
    # a count KPI: no denominator, so its value (150) is not a percentage
    ("201", "KPI02", "Assessments started", "month", "2024-01-01", "2024-01-31", "Jan 2024",
     "la", "201", "Council", 150.0, NA, 150.0, NA, NA, NA),
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
    assert [o.element_count for o in outcome.outcomes] == [4] * 8
    assert outcome.data_docs_index is None


def test_clean_scorecard_passes_every_expectation():
    outcome = run_suite("kpi_scorecard", [("201", scorecard())])
    assert outcome.passed
    assert len(outcome.outcomes) == 16  # 7 not-null + 7 other critical + 2 warning
    assert all(o.success for o in outcome.outcomes), failed(outcome)


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
    # authorised 2024-01-01, a day before the 2024-01-02 start: warning only
    "auth date before start": (
        "fct_assessments",
        lambda: assessments(replace(A, 0, assessment_auth_date="2024-01-01")),
        [("expect_column_pair_values_a_to_be_greater_than_b",
          "assessment_auth_date, assessment_start_date", "warning", 1,
          [["2024-01-01", "2024-01-02"]])],
        True,
    ),
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
    # team_id not null mostly 0.95: 1 missing of 20 rows (95%) passes, 2 of 20 (90%) warns.
    rows = [
        ("201", f"a{i:015d}", f"c{i:015d}", "T1", "S1", "2024-01-02", NA, NA, "2024-04-01")
        for i in range(20)
    ]
    one = replace(rows, 0, team_id=NA)
    two = replace(one, 1, team_id=NA)
    outcome = run_suite("fct_assessments", [("one", assessments(one)), ("two", assessments(two))])
    assert [(o.batch, o.column, o.unexpected_count) for o in outcome.failures] == [
        ("two", "team_id", 2)
    ]
    assert outcome.passed


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
    assert len(outcome.outcomes) == 16
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
    df = assessments().drop(columns=["assessment_auth_date"])
    outcome = run_suite("fct_assessments", [("201", df)])
    (failure,) = outcome.failures
    assert failure.expectation == "expect_column_pair_values_a_to_be_greater_than_b"
    assert failure.severity == "warning"
    assert failure.observed.startswith("error: ") and "assessment_auth_date" in failure.observed


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
                ('202', 'a000000000000001', 'c000000000000009', 'T9', 'S9', '2024-01-10', '2024-01-08', 2),
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
    assert (warning.batch, warning.column, warning.unexpected_count, warning.sample) == (
        "202", "assessment_auth_date, assessment_start_date", 1, [["2024-01-08", "2024-01-10"]]
    )


# --------------------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------------------


def test_summary_markdown_lists_failures_critical_first():
    df = assessments(replace(replace(A, 0, assessment_auth_date="2024-01-01"), 2, child_key=NA))
    text = run_suite("fct_assessments", [("201", df)]).summary_markdown()
    lines = text.splitlines()
    assert "1 critical, 1 warning" in lines[0]
    rows = [line for line in lines if line.startswith("| critical") or line.startswith("| warning")]
    assert rows[0].startswith("| critical | 201 | expect_column_values_to_not_be_null | child_key | 1 of 4")
    assert rows[1].startswith("| warning | 201 | expect_column_pair_values_a_to_be_greater_than_b")


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
