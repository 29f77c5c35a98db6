"""The generator's extract rewritten in the shapes the SSD deployment scripts really produce, read
from ../shared/samples/ssd_spec (never copied into the project), and loaded as a council would:

- SystemC / LiquidLogic v1.4.5: every column of the script's CREATE TABLE, in its order, exported by
  SQL Server tools (missing values as the text NULL, date-times with .000);
- Mosaic: the columns the Mosaic script creates (ddl_compare_column_matrix.csv): `cin_plan_id` for
  the CIN plan id, and no person id on CIN and CP visits, CP reviews, placements and involvements.

Expected: nothing quarantined, and raw holds exactly what it holds when the same records arrive in
the contract's own shape (children taken from the parent rows where Mosaic leaves them out).
Skipped only where the samples folder is absent.
"""

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from cscw_synth import generate
from orchestration.lib.contract import load_contract
from orchestration.lib.ingest.loader import load_landing
from orchestration.lib.settings import REPO_ROOT
from orchestration.lib.sqltext import lit, q

from .conftest import QUIET, connect

SSD_SPEC = REPO_ROOT.parent / "shared" / "samples" / "ssd_spec"
pytestmark = pytest.mark.skipif(
    not SSD_SPEC.is_dir(), reason=f"{SSD_SPEC} (the shared samples) is absent"
)
END = date(2025, 3, 31)
PROVENANCE = {"source_file", "source_line", "_extras", "extract_date"}


def systemc_columns() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, sql type)] in the v1.4.5 SystemC script's order."""
    out: dict[str, list[tuple[str, str]]] = {}
    with open(SSD_SPEC / "derived" / "ssd_v1.4.5_systemc_ddl_columns.csv", newline="") as f:
        for row in sorted(csv.DictReader(f), key=lambda r: (r["table"], int(r["ordinal"]))):
            out.setdefault(row["table"], []).append((row["column"], row["sql_type"]))
    return out


def mosaic_columns() -> dict[str, list[tuple[str, str]]]:
    """table -> [(column, data type)] the Mosaic script creates, in its order."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    with open(SSD_SPEC / "ddl_reference" / "ddl_compare_column_matrix.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["present_mosaic"] == "True":
                out.setdefault(row["table_name"], []).append(
                    (int(float(row["ordinal_mosaic"])), row["field_name"], row["data_type_mosaic"])
                )
    return {t: [(c, ty) for _, c, ty in sorted(cols)] for t, cols in out.items()}


# Mosaic's own name for a contract column (the rest of the matrix uses the SSD's names)
MOSAIC_NAMES = {("ssd_cin_plans", "cin_plan_id"): "cinp_cin_plan_id"}


def rewrite(
    con, source: Path, target: Path, columns: list[tuple[str, str]], own_name=lambda c: c
) -> None:
    """Write `source` (a contract-shaped CSV) as a SQL Server export with exactly `columns`."""
    have = {
        r[0].lower()
        for r in con.execute(
            f"DESCRIBE SELECT * FROM read_csv({lit(str(source))}, all_varchar = true, header = true)"
        ).fetchall()
    }
    select = []
    for name, sql_type in columns:
        ours = own_name(name)
        if ours not in have:
            value = "'NULL'"
        elif sql_type.upper().startswith("DATETIME"):  # SQL Server datetime: milliseconds always
            value = (
                f"CASE WHEN length({q(ours)}) = 10 THEN {q(ours)} || ' 00:00:00.000' "
                f"WHEN length({q(ours)}) = 19 THEN {q(ours)} || '.000' ELSE {q(ours)} END"
            )
        else:
            value = q(ours)
        select.append(f"coalesce(nullif({value}, ''), 'NULL') AS {q(name)}")
    con.execute(
        f"COPY (SELECT {', '.join(select)} FROM read_csv({lit(str(source))}, all_varchar = true, header = true)) "
        f"TO {lit(str(target))} (HEADER, DELIMITER ',')"
    )


@pytest.fixture(scope="module")
def canonical(tmp_path_factory):
    out = tmp_path_factory.mktemp("canonical")
    generate(out, years=1, end_date=END, seed=5, la_codes=["884"], children=800)
    con = connect(out.parent / "canonical.duckdb")
    report = load_landing(con, out, "run1", **QUIET)
    yield out / "884" / END.isoformat(), con, report
    con.close()


def same_accounting(report, canonical_report, tables: list[str]) -> None:
    """The same files load (a small authority's header-only file fails in both), the same rows."""

    def counts(r):
        return {
            x.file.table: (x.rows_read, x.rows_loaded) for x in r.loaded if x.file.table in tables
        }

    assert counts(report) == counts(canonical_report)
    assert [f.file.table for f in report.failed] == [f.file.table for f in canonical_report.failed]


def shaped_load(
    tmp_path: Path, drop: Path, shape: dict[str, list[tuple[str, str]]], own_name
) -> tuple:
    target = tmp_path / "landing" / "884" / END.isoformat()
    target.mkdir(parents=True)
    con = connect(tmp_path / "w.duckdb")
    for path in sorted(drop.glob("*.csv")):
        if path.stem in shape:
            rewrite(
                con,
                path,
                target / path.name,
                shape[path.stem],
                lambda c, t=path.stem: own_name(t, c),
            )
        else:  # local extracts (ext_*) are not the SSD scripts' business
            shutil.copyfile(path, target / path.name)
    return con, load_landing(con, tmp_path / "landing", "run1", **QUIET)


def not_created(
    shape: dict[str, list[tuple[str, str]]], tables: list[str], own_name
) -> dict[str, set[str]]:
    """Contract columns a script does not create (raw has them empty)."""
    return {
        t: {c.name for c in load_contract()[t].columns} - {own_name(t, c) for c, _ in shape[t]}
        for t in tables
    }


def same_raw(con, canonical_con, tables: list[str], absent: dict[str, set[str]]) -> None:
    """Every raw table holds the same rows as the canonical load, on the columns both delivered."""
    for table in tables:
        cols = [
            c.name
            for c in load_contract()[table].stored_columns
            if c.name not in absent.get(table, set())
        ]
        sel = ", ".join(f"CAST({q(c)} AS VARCHAR)" for c in cols)
        got = sorted(con.execute(f"SELECT {sel} FROM raw.{table}").fetchall(), key=str)
        want = sorted(canonical_con.execute(f"SELECT {sel} FROM raw.{table}").fetchall(), key=str)
        assert got == want, table


def test_systemc_export_loads_like_the_contract_shape(canonical, tmp_path):
    drop, canonical_con, canonical_report = canonical
    shape = systemc_columns()
    con, report = shaped_load(tmp_path, drop, shape, lambda table, column: column)
    ssd_tables = sorted(t for t in load_contract() if t in shape)
    assert len(ssd_tables) == 25
    assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone() == (0,)
    same_accounting(report, canonical_report, ssd_tables)
    assert {r.naming for r in report.loaded if r.file.table in ssd_tables} == {"ssd"}
    # the text NULL was read as missing and counted, never costing a row
    assert (
        con.execute(
            "SELECT sum(rows) FROM raw_meta.value_notes WHERE note = 'null text read as missing'"
        ).fetchone()[0]
        > 1000
    )
    absent = not_created(shape, ssd_tables, lambda table, column: column)
    assert absent["ssd_cin_visits"] == {"cinv_cin_plan_id"}  # Mosaic's link, not SystemC's
    same_raw(con, canonical_con, ssd_tables, absent)


def test_mosaic_export_loads_like_the_contract_shape(canonical, tmp_path):
    drop, canonical_con, canonical_report = canonical
    shape = mosaic_columns()
    con, report = shaped_load(
        tmp_path, drop, shape, lambda table, column: MOSAIC_NAMES.get((table, column), column)
    )
    ssd_tables = sorted(t for t in load_contract() if t in shape)
    assert len(ssd_tables) == 25
    assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone() == (0,)
    same_accounting(report, canonical_report, ssd_tables)
    naming = {r.file.table: r.naming for r in report.loaded}
    assert naming["ssd_cin_plans"] == "mosaic"
    notes = dict(con.execute("SELECT table_name, notes FROM raw_meta.load_log").fetchall())
    for table, via in (
        ("ssd_cin_visits", "ssd_cin_plans via cinv_cin_plan_id"),
        ("ssd_cp_visits", "ssd_cp_plans via cppv_cp_plan_id"),
        ("ssd_cp_reviews", "ssd_cp_plans via cppr_cp_plan_id"),
        ("ssd_cla_placement", "ssd_cla_episodes via clap_cla_id"),
        ("ssd_involvements", "ssd_cin_episodes via invo_referral_id"),
    ):
        assert f"child taken from the parent row ({via})" in notes[table], table
    # what Mosaic does not create is absent; everything else, children included, equals the canonical load
    absent = not_created(
        shape, ssd_tables, lambda table, column: MOSAIC_NAMES.get((table, column), column)
    )
    assert absent["ssd_cp_visits"] == {"cppv_person_id"} and absent["ssd_cin_visits"] == {
        "cinv_person_id"
    }
    children_derived = {
        "ssd_cin_visits": "cinv_person_id",
        "ssd_cp_visits": "cppv_person_id",
        "ssd_cp_reviews": "cppr_person_id",
        "ssd_cla_placement": "clap_person_id",
        "ssd_involvements": "invo_person_id",
    }
    for table, column in children_derived.items():
        absent[table].discard(
            column
        )  # taken from the parent: must equal what the file would have said
    same_raw(con, canonical_con, ssd_tables, absent)
