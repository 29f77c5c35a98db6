"""The Dagster instance `cscw` configures (dagster.yaml) keeps its event log in Dagster's own files,
readable by Dagster's stock storage, through one engine per database."""

import shutil
import sqlite3

import dagster as dg
from dagster._core.storage.event_log import SqliteEventLogStorage

from orchestration.lib import event_log_storage
from orchestration.lib.event_log_storage import PooledSqliteEventLogStorage
from orchestration.lib.settings import DAGSTER_YAML


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="numbers")])
def numbers():
    yield dg.Output([1, 2, 3])
    yield dg.AssetCheckResult(check_name="positive", passed=True)


def _instance(home, monkeypatch):
    shutil.copyfile(DAGSTER_YAML, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return dg.DagsterInstance.get()


def test_a_run_is_stored_where_and_as_dagsters_own_storage_reads_it(tmp_path, monkeypatch):
    with _instance(tmp_path, monkeypatch) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = dg.materialize([numbers], instance=instance)
        assert result.success
        run_id = result.run_id

    # Read back by Dagster's stock class, from the default place: nothing but connections changed.
    stock = SqliteEventLogStorage(str(tmp_path / "history" / "runs"))
    types = [e.dagster_event_type for e in stock.get_logs_for_run(run_id) if e.is_dagster_event]
    # numbers: planned + stored materialisation; positive: planned + stored evaluation
    assert types.count(dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED) == 1
    assert types.count(dg.DagsterEventType.ASSET_MATERIALIZATION) == 1
    assert types.count(dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED) == 1
    assert types.count(dg.DagsterEventType.ASSET_CHECK_EVALUATION) == 1
    assert types[-1] == dg.DagsterEventType.RUN_SUCCESS
    # the index database (cross-run asset queries) has the materialisation too
    latest = stock.get_latest_materialization_events([dg.AssetKey("numbers")])
    assert latest[dg.AssetKey("numbers")].run_id == run_id
    stock.dispose()


def test_its_connections_are_kept_and_relaxed_to_normal_sync_in_wal_mode(tmp_path):
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    with storage.index_connection() as conn:
        first = conn.connection.dbapi_connection
        # 1 = NORMAL (2 = FULL, SQLite's default); the journal is Dagster's WAL
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    with storage.index_connection() as conn:
        assert conn.connection.dbapi_connection is first  # the same connection, not a new one
    storage.dispose()
    # a committed write is in the file for any other process once the connection is released
    assert sqlite3.connect(tmp_path / "history" / "runs" / "index.db").execute(
        "select count(*) from sqlite_master where name = 'event_logs'"
    ).fetchone() == (1,)


def test_no_more_databases_are_held_open_than_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(event_log_storage, "OPEN_DATABASES", 2)
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    for run in ("a", "b", "c"):
        with storage.run_connection(run) as conn:
            conn.exec_driver_sql("select 1")
    # the least recently used (a) was closed; b and c stay open
    assert list(storage._engines) == ["b", "c"]
    with storage.run_connection("a") as conn:  # reopened on demand, its table still there
        assert conn.exec_driver_sql("select count(*) from event_logs").scalar() == 0
    assert list(storage._engines) == ["c", "a"]
    storage.dispose()
    assert not storage._engines
