"""The restricted schema (who each pseudonym is, names, NHS numbers) is written by ingestion and
read by nothing that feeds BI: no dbt model, macro or test, and no publication code names it."""

import re

from orchestration.lib.ingest.restricted import SCHEMA
from orchestration.lib.settings import DBT_PROJECT_DIR, REPO_ROOT

NAMES_THE_SCHEMA = re.compile(
    rf"\b{SCHEMA}\s*\.|source\(\s*['\"]{SCHEMA}['\"]|schema:\s*{SCHEMA}\b", re.IGNORECASE
)


def test_no_dbt_file_reads_the_restricted_schema():
    files = [
        p
        for folder in ("models", "macros", "tests")
        for p in (DBT_PROJECT_DIR / folder).rglob("*")
        if p.suffix in (".sql", ".yml")
    ]
    assert len(files) > 100
    assert [str(p) for p in files if NAMES_THE_SCHEMA.search(p.read_text())] == []


def test_no_publication_code_reads_the_restricted_schema():
    publishing = [
        REPO_ROOT / "orchestration" / "lib" / name for name in ("publish.py", "publish_postgres.py")
    ]
    publishing += list((REPO_ROOT / "orchestration" / "lib" / "report").glob("*.py"))
    publishing += list((REPO_ROOT / "orchestration" / "defs" / "publish").glob("*.py"))
    assert [str(p) for p in publishing if NAMES_THE_SCHEMA.search(p.read_text())] == []
