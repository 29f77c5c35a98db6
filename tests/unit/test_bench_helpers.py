"""Pieces of `cscw bench` (orchestration/lib/bench.py) that need no pipeline run: which stage a
Dagster step belongs to, the one-table drop, medians, and the marked section of the docs."""

from datetime import date

from orchestration.lib import bench


def test_steps_of_the_warehouse_job_fall_into_their_stages():
    # step keys as a run of warehouse_job reports them
    assert bench.stage_of("raw_tables") == "ingest"
    assert bench.stage_of("reference__bank_holidays") == "ingest"
    assert bench.stage_of("warehouse_dbt_models") == "dbt"
    assert bench.stage_of("raw_meta__load_log_gx_raw_load") == "gate"  # a GX check on the raw load
    assert bench.stage_of("quality__dq_dfe_findings") == "gate"
    assert bench.stage_of("publish__snapshot") == "publish"
    assert bench.stage_of("publish__postgres") == "publish"


def test_one_table_changed_is_a_new_drop_with_one_row_fewer(tmp_path):
    drop = tmp_path / "884" / "2025-03-14"
    drop.mkdir(parents=True)
    (drop / "ssd_cin_visits.csv").write_text("visit_id,x\n1,a\n2,b\n3,c\n")
    table = bench.change_one_table(tmp_path, "884", date(2025, 3, 14), 1)
    new = tmp_path / "884" / "2025-03-15" / f"{table}.csv"
    assert table == "ssd_cin_visits"
    assert new.read_text() == "visit_id,x\n1,a\n2,b\n"
    assert [p.name for p in new.parent.iterdir()] == [new.name]
    bench.change_one_table(tmp_path, "884", date(2025, 3, 14), 2)
    assert (
        tmp_path / "884" / "2025-03-16" / f"{table}.csv"
    ).read_text() == "visit_id,x\n1,a\n3,c\n"


def test_medians_of_repeated_runs():
    runs = [
        bench.Measure("nothing new", wall, 0, True, scan, 100)
        for wall, scan in ((1.0, 2.0), (3.0, 2.0), (2.0, 4.0))
    ]
    m = bench.median_of(runs)
    assert (m["runs"], m["wall"], m["scan"], m["stages"], m["up_to_date"]) == (
        3,
        2.0,
        2.0,
        {},
        True,
    )
    assert m["ratio"] == 0.5  # the median of 1/2, 3/2 and 2/4


def test_write_docs_replaces_only_the_marked_section(tmp_path):
    docs = tmp_path / "performance.md"
    docs.write_text(f"# P\n\nbefore\n\n{bench.START}\nold\n{bench.END}\n\nafter\n")
    bench.write_docs("| new |\n", docs, "cscw bench --authorities 1")
    assert docs.read_text() == (
        f"# P\n\nbefore\n\n{bench.START}\n`cscw bench --authorities 1`\n\n| new |\n"
        f"{bench.END}\n\nafter\n"
    )


def test_bench_never_empties_a_folder_it_did_not_make(tmp_path):
    import pytest

    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not a bench folder"):
        bench.run_bench(tmp_path, 1, 1, 10)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
