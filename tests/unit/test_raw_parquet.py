"""The raw layer as Parquet, one file per authority and source table (lib/engines/raw_parquet.py).

A tiny warehouse: raw.t holds authority 901's rows x = 1, 2 and 902's x = 3; raw.empty has no
rows; reference.h (no la_code) two holidays. Every expected count below is read off those rows.
"""

import duckdb
import pytest

from orchestration.lib.engines.raw_parquet import source_tables, sync_raw_parquet

TABLES = [("raw", "t"), ("raw", "empty"), ("reference", "h")]


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("""
        create schema raw; create schema raw_meta; create schema reference;
        create table raw_meta.authority_state (la_code varchar, fingerprint varchar, loaded_at timestamp);
        insert into raw_meta.authority_state values
            ('901', 'a1', '2026-12-01 09:00'), ('902', 'b1', '2026-12-01 09:00');
        create table raw.t (la_code varchar, x integer);
        insert into raw.t values ('901', 1), ('901', 2), ('902', 3);
        create table raw.empty (la_code varchar, y date);
        create table reference.h (holiday_date date);
        insert into reference.h values ('2024-12-25'), ('2024-12-26');
    """)
    return con


def _read(con, path) -> list:
    return con.execute(f"select * from read_parquet('{path}') order by all").fetchall()


def test_each_authority_gets_a_file_per_table_with_its_own_rows(con, tmp_path):
    report = sync_raw_parquet(con, tmp_path, TABLES)
    assert report.authorities_written == ["901", "902"]
    assert report.files == 5  # t and empty for two authorities, and h whole
    assert _read(con, tmp_path / "raw/t/901.parquet") == [("901", 1), ("901", 2)]
    assert _read(con, tmp_path / "raw/t/902.parquet") == [("902", 3)]
    # the folder is the table, la_code a column of its own, as Spark reads it
    assert len(_read(con, tmp_path / "raw/t/*.parquet")) == 3
    # no rows, but the file and its columns are there: Spark infers the table from it
    assert _read(con, tmp_path / "raw/empty/901.parquet") == []
    columns = con.execute(f"describe select * from '{tmp_path}/raw/empty/*.parquet'").fetchall()
    assert [(c[0], c[1]) for c in columns] == [("la_code", "VARCHAR"), ("y", "DATE")]
    assert len(_read(con, tmp_path / "reference/h/all.parquet")) == 2
    assert not list(tmp_path.rglob(".*.partial"))


def test_only_authorities_whose_load_changed_are_rewritten_and_gone_ones_removed(con, tmp_path):
    sync_raw_parquet(con, tmp_path, TABLES)
    first_901 = (tmp_path / "raw/t/901.parquet").stat().st_mtime_ns

    again = sync_raw_parquet(con, tmp_path, TABLES)
    assert (again.authorities_written, again.files) == ([], 1)  # the holidays only

    # 902 loads a new drop: x = 4 replaces x = 3
    con.execute("update raw.t set x = 4 where la_code = '902'")
    con.execute(
        "update raw_meta.authority_state set fingerprint = 'b2', loaded_at = '2026-12-02 09:00'"
        " where la_code = '902'"
    )
    changed = sync_raw_parquet(con, tmp_path, TABLES)
    assert changed.authorities_written == ["902"]
    assert _read(con, tmp_path / "raw/t/902.parquet") == [("902", 4)]
    assert (tmp_path / "raw/t/901.parquet").stat().st_mtime_ns == first_901

    # 901 loaded again from the same files (the same fingerprint, a later load): rewritten too
    con.execute("update raw_meta.authority_state set loaded_at = now() where la_code = '901'")
    assert sync_raw_parquet(con, tmp_path, TABLES).authorities_written == ["901"]

    con.execute("delete from raw_meta.authority_state where la_code = '901'")
    con.execute("delete from raw.t where la_code = '901'")
    gone = sync_raw_parquet(con, tmp_path, TABLES)
    assert gone.authorities_removed == ["901"]
    assert sorted(p.name for p in (tmp_path / "raw/t").iterdir()) == ["902.parquet"]


def test_rows_without_an_authority_are_kept_in_a_file_of_their_own(con, tmp_path):
    con.execute("insert into raw.t values (null, 9)")
    sync_raw_parquet(con, tmp_path, TABLES)
    assert _read(con, tmp_path / "raw/t/no-authority.parquet") == [(None, 9)]
    assert len(_read(con, tmp_path / "raw/t/*.parquet")) == 4  # 3 + 1: no row lost
    con.execute("delete from raw.t where la_code is null")
    sync_raw_parquet(con, tmp_path, TABLES)
    assert not (tmp_path / "raw/t/no-authority.parquet").exists()


def test_a_sync_cut_short_is_redone(con, tmp_path, monkeypatch):
    import orchestration.lib.engines.raw_parquet as module

    real_write = module._write

    def fail_on_902(con, select, path):
        if path.name == "902.parquet":
            raise OSError("disk full")
        real_write(con, select, path)

    monkeypatch.setattr(module, "_write", fail_on_902)
    with pytest.raises(OSError):
        sync_raw_parquet(con, tmp_path, TABLES)
    monkeypatch.setattr(module, "_write", real_write)
    assert sync_raw_parquet(con, tmp_path, TABLES).authorities_written == ["901", "902"]


def test_a_source_missing_from_the_warehouse_is_named(con, tmp_path):
    with pytest.raises(RuntimeError, match=r"dbt source raw\.nowhere .* is not in the warehouse"):
        sync_raw_parquet(con, tmp_path, [("raw", "nowhere")])


def test_the_tables_are_the_dbt_projects_sources():
    tables = source_tables()
    assert ("raw", "ssd_person") in tables
    assert ("raw", "ssda903_episodes") in tables
    assert ("raw_meta", "quarantine") in tables
    assert ("reference", "bank_holidays") in tables
    assert ("raw_meta", "authority_state") not in tables  # ingestion's own, not read by dbt
