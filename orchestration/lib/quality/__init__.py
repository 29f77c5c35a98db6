"""Data quality: Great Expectations suites run over DataFrames pulled through DuckDB.

Importing this package does not import great_expectations (that happens on first use).
"""

from orchestration.lib.quality.gx_runner import (
    EXPECTATIONS_DIR,
    ExpectationOutcome,
    SuiteOutcome,
    run_suite,
)

__all__ = ["EXPECTATIONS_DIR", "ExpectationOutcome", "SuiteOutcome", "run_suite"]
