"""Every test session gets its own working folder: never the user's .cscw."""

import os
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def add_blocked_authority(landing: Path) -> None:
    """Authority 934 in a landing holding tests/fixtures/real_shapes: 933's files plus an
    assessments file whose every date is impossible (a blocking fault: 934 is held back)."""
    import shutil

    faulty = landing / "934" / "2024-06-30"
    shutil.copytree(landing / "933" / "2024-06-30", faulty)
    rows = "".join(
        f"BAD{i},D1,NULL,2024-02-30,NULL,2024-13-01,NULL,NULL,NULL\n" for i in range(120)
    )
    (faulty / "ssd_cin_assessments.csv").write_text(
        "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,"
        "cina_assessment_auth_date,cina_assessment_outcome_nfa,cina_assessment_team,cina_assessment_worker_id\n"
        + rows
    )


def pytest_configure(config):
    home = Path(tempfile.mkdtemp(prefix="cscw-test-"))
    os.environ["CSCW_HOME"] = str(home)
    for name in (
        "CSCW_LANDING",
        "CSCW_WAREHOUSE",
        "CSCW_PUBLISH_DIR",
        "CSCW_QUALITY_DIR",
        "CSCW_RESTRICTED_DIR",
        "DAGSTER_HOME",
    ):
        os.environ.pop(name, None)
    os.environ["CSCW_PSEUDONYM_KEY"] = "test-key"
    # tests write their landing files and load them at once: no settle window (its own tests set one)
    os.environ["CSCW_LANDING_SETTLE_SECONDS"] = "0"
    # Test processes run side by side (pytest-xdist): each parses dbt into its own target folder
    # and logs apart, so no process reads a manifest another is writing.
    os.environ["DBT_TARGET_PATH"] = str(home / "dbt_target")
    os.environ["DBT_LOG_PATH"] = str(home / "dbt_logs")


def pseudonym_of(kind: str, la_code: str, value: str) -> str:
    """The pseudonym ingestion gives an identifier, from the Python reference HMAC (not the SQL)."""
    from orchestration.lib.pseudonymise import pseudonym

    return pseudonym(os.environ["CSCW_PSEUDONYM_KEY"], f"{kind}|{la_code}|{value}")


def on_duckdb(setting) -> str:
    """A dbt_project.yml setting as dbt renders it for the DuckDB target (some settings differ
    on Spark: docs/scale.md)."""
    import types

    import jinja2

    return jinja2.Template(str(setting)).render(target=types.SimpleNamespace(type="duckdb"))


def pytest_collection_modifyitems(items):
    """The Spark parity test takes minutes (tests/integration/test_spark_parity.py): collected
    first, so that pytest-xdist starts it first and the other worker runs the rest meanwhile,
    rather than it finishing alone at the end. This holds because `make test` passes
    `--no-loadscope-reorder`: otherwise xdist's loadfile mode queues files by their number of
    tests, and a one-test file last. Otherwise the order stays as collected."""
    items.sort(key=lambda item: "test_spark_parity" not in item.nodeid)
