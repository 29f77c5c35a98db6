"""The run fingerprint (orchestration/lib/fingerprint.py): it changes when a drop's file is added,
touched or resized, when a seed or model changes, when a setting that decides the output changes;
it stays the same otherwise; the pseudonym key is never stored in clear."""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from orchestration.lib import fingerprint as fpm
from orchestration.lib.settings import load_settings

KEY = "a-secret-key-for-this-test-only"


@pytest.fixture
def world(tmp_path):
    """A landing area with one drop, a code tree of three files and the settings pointing at them."""
    landing = tmp_path / "landing"
    drop = landing / "884" / "2024-06-30"
    drop.mkdir(parents=True)
    (drop / "ssd_person.csv").write_text("pers_person_id\n1\n2\n")
    (drop / "ssd_cin_assessments.csv").write_text("cina_assessment_id\nA1\n")
    root = tmp_path / "repo"
    for rel, text in {
        "dbt_project/models/m.sql": "select 1",
        "seeds/kpi.csv": "kpi_id\nx\n",
        "orchestration/lib/a.py": "A = 1\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    env = {
        "CSCW_HOME": str(tmp_path / "home"),
        "CSCW_LANDING": str(landing),
        "CSCW_PSEUDONYM_KEY": KEY,
        "CSCW_LANDING_SETTLE_SECONDS": "0",
    }
    return {"landing": landing, "drop": drop, "root": root, "env": env, "tmp": tmp_path}


def take(world, accept=None, today=date(2026, 1, 1), **env):
    environ = {**world["env"], **env}
    return fpm.compute(load_settings(environ), accept, today=today, root=world["root"], env=environ)


def test_unchanged_world_gives_the_same_fingerprint(world):
    first = take(world)
    assert take(world) == first
    assert (first.authorities, first.drops, first.files) == (1, 1, 2)


def test_settings_that_do_not_decide_output_leave_it_unchanged(world):
    first = take(world)
    assert (
        take(
            world,
            CSCW_DUCKDB_THREADS="1",
            CSCW_DBT_THREADS="7",
            CSCW_INGEST_WORKERS="5",
            CSCW_DUCKDB_MEMORY="1GB",
            DAGSTER_HOME=str(world["tmp"] / "elsewhere"),
            CSCW_LOG_LEVEL="DEBUG",
        )
        == first
    )


def test_a_file_added_touched_or_resized_changes_the_inputs(world):
    base = take(world).inputs
    person = world["drop"] / "ssd_person.csv"
    st = person.stat()
    os.utime(person, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # touched: same bytes
    touched = take(world).inputs
    assert touched != base
    person.write_text("pers_person_id\n1\n2\n3\n")  # resized, with the mtime put back
    os.utime(person, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    resized = take(world).inputs
    assert resized not in (base, touched)
    new_drop = world["landing"] / "884" / "2024-07-31"
    new_drop.mkdir()
    (new_drop / "ssd_person.csv").write_text("pers_person_id\n1\n")
    added = take(world)
    assert added.inputs not in (base, touched, resized)
    assert (added.authorities, added.drops, added.files) == (1, 2, 3)
    assert take(world).code == added.code and take(world).settings == added.settings


def test_a_file_within_the_settle_window_changes_the_inputs_when_it_settles(world):
    """Ingestion leaves a file modified within the settle window for a later run; were it listed
    with its size and mtime, the run after it settles would be skipped as up to date and the
    file never loaded."""
    settled = take(world)
    recent = take(world, CSCW_LANDING_SETTLE_SECONDS="3600")  # both files were written just now
    assert (recent.files, settled.files) == (0, 2) and recent.inputs != settled.inputs
    for path in world["drop"].iterdir():  # the same bytes, two hours later
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 7200 * 10**9))
    later = take(world, CSCW_LANDING_SETTLE_SECONDS="3600")
    assert later.files == 2 and later.inputs != recent.inputs


def test_a_future_drop_counts_from_its_date(world):
    future = world["landing"] / "884" / "2026-06-30"
    future.mkdir()
    (future / "ssd_person.csv").write_text("pers_person_id\n1\n")
    before, after = take(world, today=date(2026, 1, 1)), take(world, today=date(2026, 7, 1))
    assert before.drops == 1 and after.drops == 2
    assert before.inputs != after.inputs


def test_a_seed_or_model_change_changes_the_code(world):
    base = take(world).code
    (world["root"] / "seeds" / "kpi.csv").write_text("kpi_id\ny\n")
    seed = take(world).code
    (world["root"] / "dbt_project" / "models" / "m.sql").write_text("select 2")
    model = take(world).code
    assert len({base, seed, model}) == 3
    assert take(world).inputs == take(world).inputs


def test_generated_files_do_not_change_the_code(world):
    base = take(world).code
    for rel in (
        "dbt_project/target/manifest.json",
        "orchestration/lib/__pycache__/a.cpython-311.pyc",
        "expectations/uncommitted/validations/x.json",
        "dbt_project/logs/dbt.log",
    ):
        (world["root"] / rel).parent.mkdir(parents=True, exist_ok=True)
        (world["root"] / rel).write_text("generated")
    assert take(world).code == base


@pytest.mark.parametrize(
    "env",
    [
        {"CSCW_PSEUDONYM_KEY": "another-key"},
        {"CSCW_CALENDAR_YEARS": "2000-2041"},
        {"CSCW_SUPPRESS_BELOW": "10"},
        {"CSCW_PUBLISH_DETAIL": "false"},
        {"CSCW_PG_DSN": "postgresql://u:p@h/db"},
        {"CSCW_DFE_VALIDATORS": "on"},
    ],
)
def test_a_setting_that_decides_output_changes_the_settings(world, env):
    base = take(world)
    changed = take(world, **env)
    assert changed.settings != base.settings
    assert (changed.inputs, changed.code) == (base.inputs, base.code)


def test_accepted_changes_change_the_settings(world):
    assert take(world, accept=["884"]).settings != take(world).settings


def _publish(world, settings, name: str, run_id: str) -> Path:
    snapshot = settings.publish_dir / "snapshots" / name
    snapshot.mkdir(parents=True)
    (snapshot / "manifest.json").write_text(json.dumps({"run_id": run_id}))
    link = settings.publish_dir / "current"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(Path("snapshots") / name, target_is_directory=True)
    return snapshot


def test_recorded_after_a_good_run_only_and_never_holding_the_key(world):
    settings = load_settings(world["env"])
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse.write_bytes(b"duckdb")
    fp = take(world)
    before = _publish(world, settings, "s1", "run-1")
    assert not fpm.record(settings, fp, 0, before)  # no new publication
    assert not fpm.record(settings, fp, 1, None)  # the run failed
    assert fpm.up_to_date(settings, fp) is None
    _publish(world, settings, "s2", "run-2")
    assert fpm.record(settings, fp, 3, before)
    text = fpm.fingerprint_path(settings).read_text()
    assert KEY not in text and "pseudonym" not in text
    stored = json.loads(text)
    assert (stored["run_id"], stored["snapshot"], stored["inputs"]) == ("run-2", "s2", fp.inputs)
    message = fpm.up_to_date(settings, fp)
    assert message.startswith("up to date: nothing new since run run-2 at ")
    assert message.endswith("(1 authorities, 1 drops); nothing rebuilt")
    assert fpm.up_to_date(settings, take(world, CSCW_PSEUDONYM_KEY="another-key")) is None
    settings.warehouse.unlink()  # the warehouse is gone: a run is due
    assert fpm.up_to_date(settings, fp) is None
    settings.warehouse.write_bytes(b"duckdb")
    _publish(world, settings, "s3", "elsewhere")  # current moved to another publication
    assert fpm.up_to_date(settings, fp) is None


def test_a_run_forgets_the_fingerprint_and_force_or_accept_never_skip(world):
    settings = load_settings(world["env"])
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse.write_bytes(b"duckdb")
    calls, builds = [], []

    def run(s, accept, per_authority):  # stands in for run_pipeline: publishes, ends well
        calls.append(accept)
        builds.append(per_authority)
        assert not fpm.fingerprint_path(s).exists()  # removed before the run starts
        _publish(world, s, f"s{len(calls)}", f"run-{len(calls)}")
        return 0

    def cycle(accept=None, force=False):
        return fpm.run_unless_up_to_date(settings, accept, force, run)

    os.environ.pop("CSCW_ACCEPT_CHANGE", None)
    assert cycle() == 0 and len(calls) == 1
    assert fpm.fingerprint_path(settings).exists()
    assert cycle() == 0 and len(calls) == 1  # up to date: not run
    assert cycle(force=True) == 0 and len(calls) == 2
    assert cycle(accept=["884"]) == 0 and len(calls) == 3
    # Per-authority builds only when code and settings are the last good run's and only the
    # landing area changed: the first run, a forced run and an accepted change (a setting) build
    # everything; so does the run after the accepted one (its settings are not the last run's).
    assert builds == [False, False, False]
    assert cycle() == 0 and builds[-1] is False and len(calls) == 4
    new_drop = world["landing"] / "884" / "2024-07-31"
    new_drop.mkdir()
    (new_drop / "ssd_person.csv").write_text("pers_person_id\n1\n")
    assert cycle() == 0 and builds[-1] is True and len(calls) == 5
    (new_drop / "ssd_person.csv").write_text("pers_person_id\n2\n")
    assert cycle(force=True) == 0 and builds[-1] is False and len(calls) == 6
    (new_drop / "ssd_person.csv").write_text("pers_person_id\n3\n")
    settings.warehouse.unlink()  # the warehouse the last run built is gone: build everything
    assert cycle() == 0 and builds[-1] is False and len(calls) == 7
