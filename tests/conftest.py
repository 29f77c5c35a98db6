"""Every test session gets its own working folder: never the user's .cscw."""

import os
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


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
