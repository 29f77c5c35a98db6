"""Authorities loaded side by side (CSCW_INGEST_WORKERS) give the warehouse that loading them
one after the other gives, and one authority that fails leaves the other loaded.

The landing is the small clean drop of authorities 884 and 801 (conftest.small_drop). Expected
warehouses come from loads with one worker: of both authorities, and of 884 alone.
"""

import shutil
import threading
import time

import pytest

from orchestration.lib.ingest import loader
from orchestration.lib.ingest.loader import load_landing

from .conftest import QUIET, connect, snapshot


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory, small_drop):
    con = connect(tmp_path_factory.mktemp("serial") / "w.duckdb")
    report = load_landing(con, small_drop, "a", workers=1, **QUIET)
    assert report.loaded_authorities == ["801", "884"]  # landing order
    return snapshot(con), [r.source_file for r in report.loaded]


def test_side_by_side_equals_one_after_the_other(one_by_one, small_drop, tmp_path):
    expected, files = one_by_one
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, small_drop, "a", workers=2, **QUIET)
    assert report.loaded_authorities == ["801", "884"]
    assert [r.source_file for r in report.loaded] == files  # reported in the same order
    assert snapshot(con) == expected


def test_an_authority_that_fails_leaves_the_other_loaded(small_drop, tmp_path, monkeypatch):
    only_884 = tmp_path / "only_884"
    shutil.copytree(small_drop / "884", only_884 / "884")
    alone = connect(tmp_path / "alone.duckdb")
    load_landing(alone, only_884, "a", workers=1, **QUIET)
    expected = {k: v for k, v in snapshot(alone).items() if k.startswith("raw.")}

    real = loader._stage_file

    def failing_for_801(con, f, *args, **kwargs):
        if f.la_code == "801":
            raise Crash("801 cannot be read")
        return real(con, f, *args, **kwargs)

    monkeypatch.setattr(loader, "_stage_file", failing_for_801)
    con = connect(tmp_path / "w.duckdb")
    with pytest.raises(Crash, match="801 cannot be read"):
        load_landing(con, small_drop, "a", workers=2, **QUIET)
    assert con.execute("SELECT la_code FROM raw_meta.authority_state").fetchall() == [("884",)]
    # 884's rows as a load of 884 alone has them; nothing of 801
    assert {k: v for k, v in snapshot(con).items() if k.startswith("raw.")} == expected


def test_one_authoritys_tables_staged_side_by_side_give_the_same_warehouse(
    small_drop, tmp_path, monkeypatch
):
    """With more workers than authorities, one authority's tables are staged side by side (each
    on a cursor of its own, into a staging database every cursor sees): the warehouse is the one
    a single worker gives, and two stagings did overlap."""
    only_884 = tmp_path / "only_884"
    shutil.copytree(small_drop / "884", only_884 / "884")
    serial = connect(tmp_path / "serial.duckdb")
    serial_report = load_landing(serial, only_884, "a", workers=1, **QUIET)

    real, lock = loader._stage_file, threading.Lock()
    running, most = [0], [0]

    def counting(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            time.sleep(0.05)  # long enough for the other worker to start its table meanwhile
            return real(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(loader, "_stage_file", counting)
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, only_884, "a", workers=2, **QUIET)
    assert most[0] == 2
    assert [r.source_file for r in report.loaded] == [r.source_file for r in serial_report.loaded]
    assert snapshot(con) == snapshot(serial)
    # the staging schema is gone once the load is over
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'cscw_stage'"
    ).fetchone() == (0,)
