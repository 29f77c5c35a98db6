"""Measure tests: run the whole pipeline once per hand-made landing, in its own warehouse, and
query the published snapshot. Expected values are worked out by hand in each test module."""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES

KPI_FIXTURES = FIXTURES / "kpi"


@dataclass
class Published:
    snapshot: Path
    exit_code: int
    warehouse: Path

    def query_warehouse(self, sql: str, variables: dict | None = None):
        """Read the run's warehouse (the conformed layer is not published)."""
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            for name, value in (variables or {}).items():
                con.execute(f"SET VARIABLE {name} = ?", [value])
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def query(self, sql: str, params=()):
        con = duckdb.connect(str(self.snapshot / "cscw.duckdb"), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()

    def scorecard(self, kpi_id, period_type, period_label, breakdown="la", breakdown_id=None):
        """(numerator, denominator, value, target, rag, direction) of one scorecard row."""
        rows = self.query(
            """SELECT numerator, denominator, value, target, rag, direction FROM kpi_scorecard
               WHERE kpi_id = ? AND period_type = ? AND period_label = ? AND breakdown = ?
                 AND (? IS NULL OR breakdown_id = ?)""",
            (kpi_id, period_type, period_label, breakdown, breakdown_id, breakdown_id),
        )
        assert len(rows) == 1, (kpi_id, period_type, period_label, breakdown, breakdown_id, rows)
        return rows[0]


def run_landing(landing: Path, work: Path) -> Published:
    from orchestration.cli import main
    from orchestration.lib.publish import current_snapshot

    publish = work / "publish"
    warehouse = work / "warehouse.duckdb"
    code = main(
        ["run", "--landing", str(landing), "--warehouse", str(warehouse), "--publish", str(publish)]
    )
    return Published(current_snapshot(publish), code, warehouse)


@pytest.fixture(scope="module")
def published_fixture(request, tmp_path_factory):
    """Module-level: set `LANDING = KPI_FIXTURES / "<name>"` in the test module."""
    landing = request.module.LANDING
    published = run_landing(landing, tmp_path_factory.mktemp(landing.name))
    assert published.exit_code == 0, "the pipeline failed on the fixture; see the captured output"
    return published
