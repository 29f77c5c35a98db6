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
    (
        "201",
        "KPI01",
        "Assessments within 45 days",
        "month",
        "2024-01-01",
        "2024-01-31",
        "Jan 2024",
        "la",
        "201",
        "Council",
        8.0,
        10.0,
        80.0,
        "percentage",
        85.0,
        "Amber",
        "improving",
        True,
        NA,
    ),
    (
        "201",
        "KPI01",
        "Assessments within 45 days",
        "month",
        "2024-01-01",
        "2024-01-31",
        "Jan 2024",
        "team",
        "T1",
        "Team 1",
        3.0,
        4.0,
        75.0,
        "percentage",
        85.0,
        "Red",
        "worsening",
        True,
        NA,
    ),
    (
        "201",
        "KPI01",
        "Assessments within 45 days",
        "quarter",
        "2024-01-01",
        "2024-03-31",
        "Q4 2023-24",
        "la",
        "201",
        "Council",
        20.0,
        25.0,
        80.0,
        "percentage",
        85.0,
        "Amber",
        NA,
        True,
        NA,
    ),
    # a count KPI (unit count, no denominator): its value 150 is not a percentage
    (
        "201",
        "KPI02",
        "Assessments started",
        "month",
        "2024-01-01",
        "2024-01-31",
        "Jan 2024",
        "la",
        "201",
        "Council",
        150.0,
        NA,
        150.0,
        "count",
        NA,
        NA,
        NA,
        True,
        NA,
    ),
    # a count whose table was never delivered: published as not available, nothing measured
    (
        "201",
        "KPI03",
        "Open cases without an allocated worker",
        "month",
        "2024-01-01",
        "2024-01-31",
        "Jan 2024",
        "la",
        "201",
        "Council",
        NA,
        NA,
        NA,
        "count",
        0.0,
        NA,
        NA,
        False,
        "ssd_involvements not delivered",
    ),
]


def frame(rows: list[tuple], dtypes: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(rows, columns=list(dtypes))
    for column, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            df[column] = pd.to_datetime(df[column]).astype(dtype)
        else:
            df[column] = df[column].astype(dtype)
    return df


def scorecard(rows=CLEAN_SCORECARD) -> pd.DataFrame:
    return frame(list(rows), SCORECARD_DTYPES)


def replace(rows, index, **changes):
    """Copy of rows with row ``index`` changed (by column name)."""
    columns = list(SCORECARD_DTYPES)
    out = [list(r) for r in rows]
    for column, value in changes.items():
        out[index][columns.index(column)] = value
    return [tuple(r) for r in out]


def failed(outcome):
    """(expectation, column, severity, unexpected_count, sample) of each failure."""
    return sorted(
        (
            (o.expectation, o.column, o.severity, o.unexpected_count, o.sample)
            for o in outcome.failures
        ),
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


# --------------------------------------------------------------------------------------
# defects, one at a time, with their hand-worked results
# --------------------------------------------------------------------------------------

S = CLEAN_SCORECARD

CASES = {
    # (row rules on the conformed facts, such as an assessment authorised before it started or
    # without working days, are dbt tests judged per authority: tests/integration/test_verdicts.py)
    # 12 of 10: numerator above denominator, and the percentage 120 is above 100
    "numerator above denominator": (
        "kpi_scorecard",
        lambda: scorecard(replace(S, 0, numerator=12.0, value=120.0)),
        [
            (
                "expect_column_pair_values_a_to_be_greater_than_b",
                "denominator, numerator",
                "critical",
                1,
                [[10.0, 12.0]],
            ),
            ("expect_column_values_to_be_between", "value", "critical", 1, [120.0]),
        ],
        False,
    ),
    # the team row restated as the la row: two rows share one key
    "duplicate scorecard key": (
        "kpi_scorecard",
        lambda: scorecard(
            replace(S, 1, breakdown="la", breakdown_id="201", breakdown_name="Council")
        ),
        [
            (
                "expect_compound_columns_to_be_unique",
                "kpi_id, period_type, period_start, breakdown, breakdown_id",
                "critical",
                2,
                None,
            )
        ],
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
        [
            ("expect_column_values_to_be_null", "numerator", "critical", 1, [0.0]),
            ("expect_column_values_to_be_null", "value", "critical", 1, [0.0]),
        ],
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
    key = {
        "kpi_id": "KPI01",
        "period_type": "month",
        "period_start": "2024-01-01",
        "breakdown": "la",
        "breakdown_id": "201",
    }
    assert failure.sample == [key, key]
    assert [{k: r[k] for k in key} for r in failure.rows] == [key, key]


def test_failing_rows_are_identified_by_key():
    # row 1 (KPI01, Jan 2024, authority level) loses its numerator
    (failure,) = run_suite(
        "kpi_scorecard", [("201", scorecard(replace(S, 0, numerator=NA)))]
    ).failures
    assert failure.rows == [
        {
            "numerator": None,
            "kpi_id": "KPI01",
            "period_type": "month",
            "period_start": "2024-01-01",
            "breakdown": "la",
            "breakdown_id": "201",
        }
    ]


def test_only_percentages_are_held_to_0_100():
    # a rate per 10,000 children: 5 of 200 children -> 250 (numerator <= denominator, so the
    # pair check passes too). It has a denominator but is not a percentage: no failure.
    rate = (
        "201",
        "KPI04",
        "Assessments per 10000 children",
        "month",
        "2024-01-01",
        "2024-01-31",
        "Jan 2024",
        "la",
        "201",
        "Council",
        5.0,
        200.0,
        250.0,
        "rate_10k",
        NA,
        NA,
        NA,
        True,
        NA,
    )
    outcome = run_suite("kpi_scorecard", [("201", scorecard(S + [rate]))])
    assert outcome.failures == [], failed(outcome)
    (value,) = [
        o
        for o in outcome.outcomes
        if o.column == "value" and o.expectation == "expect_column_values_to_be_between"
    ]
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


# kpi_scorecard's expectations, counted from suites.py: 7 columns not null, period type, breakdown,
# the compound key, period order, numerator >= 0, numerator <= denominator, unit in set, unit not
# null, percentages 0-100 (16); availability: is_available not null, 5 columns null when not
# available, reason set, reason null, numerator set (9); rag and direction (2).
SCORECARD_EXPECTATIONS = 27


def test_failure_in_second_batch_carries_its_label():
    second = [
        ("202",) + r[1:]
        for r in replace(S, 1, breakdown="la", breakdown_id="201", breakdown_name="Council")
    ]

    def batches():  # a generator: consumed one frame at a time
        yield "201", scorecard()
        yield "202", scorecard(second)

    outcome = run_suite("kpi_scorecard", batches())
    assert outcome.batches == ["201", "202"]
    assert len(outcome.outcomes) == 2 * SCORECARD_EXPECTATIONS
    assert [(o.batch, o.expectation, o.unexpected_count) for o in outcome.failures] == [
        ("202", "expect_compound_columns_to_be_unique", 2)
    ]
    assert not outcome.passed
    assert all(o.success for o in outcome.outcomes if o.batch == "201")


def test_uniqueness_is_per_batch():
    # the same keys in two authorities are not duplicates
    other = [("202",) + r[1:] for r in S]
    outcome = run_suite("kpi_scorecard", [("201", scorecard()), ("202", scorecard(other))])
    assert outcome.failures == []


def test_no_batches():
    outcome = run_suite("kpi_scorecard", iter(()))
    assert outcome.outcomes == [] and outcome.batches == [] and outcome.passed


def test_missing_column_is_a_failure_not_a_crash():
    # without rag, its two expectations (RAG in set, warning; no RAG when not available,
    # critical) report an error instead of crashing the suite; nothing else fails
    outcome = run_suite("kpi_scorecard", [("201", scorecard().drop(columns=["rag"]))])
    assert sorted((f.expectation, f.column, f.severity) for f in outcome.failures) == [
        ("expect_column_values_to_be_in_set", "rag", "warning"),
        ("expect_column_values_to_be_null", "rag", "critical"),
    ]
    for failure in outcome.failures:
        assert failure.unexpected_count is None
        assert failure.observed.startswith("error: ") and "rag" in failure.observed
    assert not outcome.passed


def test_frames_pulled_through_duckdb():
    duckdb = pytest.importorskip("duckdb")
    from orchestration.lib.quality.gx_runner import authority_batches

    con = duckdb.connect()
    try:
        # 201 clean; 202 the same rows with one unknown RAG
        frames = pd.concat(
            [scorecard(), scorecard([("202",) + r[1:] for r in replace(S, 1, rag="Purple")])]
        )
        con.register("frames", frames)
        con.execute("CREATE TABLE kpi_scorecard AS SELECT * FROM frames")
        outcome = run_suite("kpi_scorecard", authority_batches(con, "kpi_scorecard"))
    finally:
        con.close()
    assert outcome.batches == ["201", "202"]
    assert outcome.passed
    (warning,) = outcome.warnings
    assert (warning.batch, warning.column, warning.unexpected_count, warning.sample) == (
        "202",
        "rag",
        1,
        ["Purple"],
    )


# --------------------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------------------


def test_summary_markdown_lists_failures_critical_first():
    # row 1 misstated as 120% (critical, 1 of the 3 percentage rows); row 2 an unknown RAG
    # (warning, 1 of the 5 rows)
    df = scorecard(replace(replace(S, 0, value=120.0), 1, rag="Purple"))
    text = run_suite("kpi_scorecard", [("201", df)]).summary_markdown()
    lines = text.splitlines()
    assert "1 critical, 1 warning" in lines[0]
    rows = [line for line in lines if line.startswith(("| critical", "| warning"))]
    assert rows[0].startswith(
        "| critical | 201 | expect_column_values_to_be_between | value | 1 of 3"
    )
    assert rows[1].startswith("| warning | 201 | expect_column_values_to_be_in_set | rag | 1 of 5")


def test_summary_markdown_when_clean():
    text = run_suite("kpi_scorecard", [("201", scorecard())]).summary_markdown()
    assert text.endswith("All expectations passed.")


def test_data_docs_built_in_docs_dir(tmp_path):
    docs = tmp_path / "docs"
    outcome = run_suite(
        "kpi_scorecard",
        [("201", scorecard()), ("202", scorecard([("202",) + r[1:] for r in S]))],
        docs_dir=docs,
        run_name="dagster run 1",
    )
    assert outcome.data_docs_index == docs / "index.html"
    assert outcome.data_docs_index.is_file()
    pages = sorted(p.name for p in (docs / "validations" / "kpi_scorecard").rglob("*.html"))
    assert pages == ["201.html", "202.html"]
    assert (docs / "validations" / "kpi_scorecard" / "dagster_run_1").is_dir()


def test_unknown_suite_is_a_clear_error():
    with pytest.raises(LookupError, match="no_such_suite"):
        run_suite("no_such_suite", [])


# --------------------------------------------------------------------------------------
# batches carry only the columns the suite reads
# --------------------------------------------------------------------------------------

# Read off expectations/suites/kpi_scorecard.json: the columns of its expectations (value, unit and
# kpi_id also in row conditions) and its id_columns. Not kpi_name, period_label, breakdown_name,
# target: no expectation reads them.
SCORECARD_SUITE_COLUMNS = {
    "la_code",
    "kpi_id",
    "period_type",
    "period_start",
    "period_end",
    "breakdown",
    "breakdown_id",
    "numerator",
    "denominator",
    "value",
    "unit",
    "rag",
    "direction",
    "is_available",
    "not_available_reason",
}


def test_suite_columns_are_those_its_expectations_and_keys_name():
    from orchestration.lib.quality.gx_runner import suite_columns

    assert suite_columns("kpi_scorecard") == SCORECARD_SUITE_COLUMNS


def test_batches_of_the_suite_columns_give_the_same_outcome():
    duckdb = pytest.importorskip("duckdb")
    from orchestration.lib.quality.gx_runner import authority_batches, suite_columns

    # 201: a duplicated key (row 0 twice) and an unknown RAG; 202: an unavailable row with a
    # value, and a period ending before it starts
    bad_201 = S + [S[0]]
    bad_201 = replace(bad_201, 1, rag="Purple")
    bad_202 = [("202",) + r[1:] for r in S]
    bad_202 = replace(bad_202, len(bad_202) - 1, value=5.0)
    bad_202 = replace(bad_202, 0, period_end="2023-12-01")
    con = duckdb.connect()
    try:
        frames = pd.concat([scorecard(bad_201), scorecard(bad_202)])
        con.register("frames", frames)
        con.execute("CREATE TABLE kpi_scorecard AS SELECT * FROM frames")
        narrow = list(
            authority_batches(con, "kpi_scorecard", columns=suite_columns("kpi_scorecard"))
        )
        whole = run_suite("kpi_scorecard", authority_batches(con, "kpi_scorecard"))
        pruned = run_suite("kpi_scorecard", iter(narrow))
    finally:
        con.close()
    for _, batch in narrow:  # in the table's order, nothing else
        assert list(batch.columns) == [c for c in SCORECARD_DTYPES if c in SCORECARD_SUITE_COLUMNS]
    assert failed(pruned) == failed(whole)
    # the four defects, each found once
    assert {(o.batch, o.expectation, o.column) for o in pruned.failures} == {
        (
            "201",
            "expect_compound_columns_to_be_unique",
            "kpi_id, period_type, period_start, breakdown, breakdown_id",
        ),
        ("201", "expect_column_values_to_be_in_set", "rag"),
        ("202", "expect_column_values_to_be_null", "value"),
        ("202", "expect_column_pair_values_a_to_be_greater_than_b", "period_end, period_start"),
    }


def test_a_row_condition_written_as_text_means_every_column(tmp_path):
    from orchestration.lib.quality.gx_runner import suite_columns

    (tmp_path / "suites").mkdir()
    (tmp_path / "suites" / "s.json").write_text(
        '{"meta": {}, "expectations": [{"kwargs": {"column": "value", '
        '"row_condition": "unit == \\"percentage\\""}}]}'
    )
    assert suite_columns("s", tmp_path) is None  # `unit` is only inside the text
