"""Writing the Python-defined suites into a GX file context: idempotent and stable."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from orchestration.lib.quality import suites as suites_module
from orchestration.lib.quality._context import EXPECTATIONS_DIR
from orchestration.lib.quality.suites import SUITES, SuiteSpec, sync_suites


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "uncommitted" not in p.relative_to(root).parts
    }


def copy_committed(tmp_path: Path) -> Path:
    target = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, target, ignore=shutil.ignore_patterns("uncommitted"))
    return target


def test_committed_context_matches_suites_py():
    """expectations/ is up to date with suites.py (else: run the module and commit)."""
    before = snapshot(EXPECTATIONS_DIR)
    status = sync_suites(EXPECTATIONS_DIR, dry_run=True)
    assert status == {name: "unchanged" for name in SUITES}
    assert snapshot(EXPECTATIONS_DIR) == before


def test_sync_on_committed_copy_changes_nothing(tmp_path):
    root = copy_committed(tmp_path)
    before = snapshot(root)
    assert sync_suites(root) == {name: "unchanged" for name in SUITES}
    assert snapshot(root) == before
    assert before == snapshot(EXPECTATIONS_DIR)


def test_setup_from_scratch_is_idempotent(tmp_path):
    root = tmp_path / "ctx"
    first = sync_suites(root)
    assert first["data source warehouse_frames"] == "created"
    assert {first[name] for name in SUITES} == {"created"}
    after_first = snapshot(root)
    assert set(after_first) == {"great_expectations.yml"} | {
        f"suites/{name}.json" for name in SUITES
    }

    second = sync_suites(root)
    assert second == {name: "unchanged" for name in SUITES}
    assert snapshot(root) == after_first


def test_changed_suite_is_updated_keeping_ids(tmp_path, monkeypatch):
    root = copy_committed(tmp_path)
    path = root / "suites" / "kpi_scorecard.json"
    old = json.loads(path.read_text())

    original = SUITES["kpi_scorecard"]

    def changed():
        expectations = original.build()
        expectations[-1].mostly = 0.9  # direction of travel in its set: all rows -> 90%
        return expectations

    monkeypatch.setitem(
        SUITES,
        "kpi_scorecard",
        SuiteSpec("kpi_scorecard", changed, original.id_columns, original.description),
    )
    assert sync_suites(root, ["kpi_scorecard"]) == {"kpi_scorecard": "updated"}
    new = json.loads(path.read_text())

    assert new["id"] == old["id"]
    old_ids = [e["id"] for e in old["expectations"]]
    new_ids = [e["id"] for e in new["expectations"]]
    assert new_ids[:-1] == old_ids[:-1]  # unchanged expectations keep their ids
    assert new_ids[-1] != old_ids[-1]
    assert new["expectations"][-1]["kwargs"]["mostly"] == 0.9

    # and a second sync of the changed definition is a no-op
    before = snapshot(root)
    assert sync_suites(root, ["kpi_scorecard"]) == {"kpi_scorecard": "unchanged"}
    assert snapshot(root) == before


def test_every_expectation_states_its_severity():
    for spec in SUITES.values():
        for exp in suites_module.build_expectations(spec):
            assert exp.severity.value in ("critical", "warning", "info")


def test_expectation_without_severity_is_rejected():
    gxe = suites_module._gxe()
    spec = SuiteSpec(
        "bad", lambda: [gxe.ExpectColumnValuesToNotBeNull(column="x")], (), "no severity"
    )
    with pytest.raises(ValueError, match="severity"):
        suites_module.build_expectations(spec)


def test_check_mode_reports_drift(tmp_path, capsys):
    root = tmp_path / "ctx"
    assert suites_module.main(["--context-root", str(root), "--check"]) == 1
    assert not root.exists()
    assert suites_module.main(["--context-root", str(root)]) == 0
    assert suites_module.main(["--context-root", str(root), "--check"]) == 0
