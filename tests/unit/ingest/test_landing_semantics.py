"""Landing semantics on generated data: mixed spellings load clean; re-runs do no work and never
duplicate; a newer drop missing a table, or holding an unreadable one, keeps the previous version;
many authorities and drops load together."""

import os
import shutil

from cscw_synth import generate
from orchestration.lib.contract import extract_contract
from orchestration.lib.ingest.loader import load_landing
from tests.conftest import pseudonym_of

from .conftest import (
    END,
    LATER,
    QUIET,
    add_drop,
    connect,
    count_records,
    current_files,
    records,
    snapshot,
)


def test_mixed_spellings_and_header_case_load_like_the_canonical_ones(tmp_path):
    plain, mixed = tmp_path / "plain", tmp_path / "mixed"
    generate(plain, years=1, end_date=END, seed=6, la_codes=["884"], children=1500)
    generate(mixed, years=1, end_date=END, seed=6, la_codes=["884"], children=1500, format_mix=0.7)
    # the mixed landing really holds the other spellings (read here, from the text)
    texts = "".join(p.read_text() for p in (mixed / "884" / END.isoformat()).glob("*.csv"))
    headers = [
        p.read_text().split("\n", 1)[0] for p in (mixed / "884" / END.isoformat()).glob("*.csv")
    ]
    assert any(h != h.lower() for h in headers)
    for spelling in ("T00:00:00.000", ",true,", ",0,", "/20"):
        assert spelling in texts, spelling
    reports, snaps = [], []
    for landing in (plain, mixed):
        con = connect(tmp_path / f"{landing.name}.duckdb")
        reports.append(load_landing(con, landing, "run", **QUIET))
        assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone()[0] == 0
        for (la, table), rel in current_files(landing).items():
            n = count_records(landing / rel)
            assert (
                con.execute(f"SELECT count(*) FROM raw.{table} WHERE la_code = ?", [la]).fetchone()[
                    0
                ]
                == n
            )
        snaps.append(
            snapshot(
                con,
                exclude={
                    "run_id",
                    "loaded_at",
                    "seconds",
                    "file_sha256",
                    "file_bytes",
                    "fingerprint",
                },
            )
        )
        con.close()
    expected_failed = {
        p.relative_to(plain).as_posix() for p in plain.glob("*/*/*.csv") if count_records(p) == 0
    }
    for report in reports:
        assert {
            r.source_file for r in report.failed
        } == expected_failed  # only naturally empty tables
    assert snaps[0] == snaps[1]  # same values, whatever the spelling


def test_same_landing_twice_is_skipped_and_touched_or_redelivered_files_never_duplicate(
    landing_copy, tmp_path
):
    con = connect(tmp_path / "w.duckdb")
    first = load_landing(con, landing_copy, "run1", **QUIET)
    assert sorted(first.loaded_authorities) == ["801", "884"]
    before = snapshot(con, exclude=set())
    stable = snapshot(con)
    second = load_landing(con, landing_copy, "run2", **QUIET)
    assert second.loaded == [] and sorted(second.skipped_authorities) == ["801", "884"]
    assert snapshot(con, exclude=set()) == before  # nothing at all written

    # the same file delivered again (new mtime): reloaded, nothing duplicated
    path = landing_copy / "884" / END.isoformat() / "ssd_person.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    third = load_landing(con, landing_copy, "run3", **QUIET)
    assert third.loaded_authorities == ["884"] and third.skipped_authorities == ["801"]
    after = snapshot(con)
    for name in (
        "raw_meta.quarantine",
        "raw_meta.current_versions",
        *(k for k in after if k.startswith("raw.")),
    ):
        assert after[name] == stable[name], name  # the same rows, not twice

    # the same drop delivered again under a later date: it becomes current, nothing duplicated
    shutil.copytree(landing_copy / "884" / END.isoformat(), landing_copy / "884" / "2025-04-07")
    load_landing(con, landing_copy, "run4", **QUIET)
    for (la, table), rel in current_files(landing_copy).items():
        n = count_records(landing_copy / rel)
        got = con.execute(
            f"SELECT count(*), min(CAST(extract_date AS VARCHAR)), max(source_file) FROM raw.{table} "
            "WHERE la_code = ?",
            [la],
        ).fetchone()
        if n:
            assert got == (n, rel.split("/")[1], rel), rel


def test_newer_drop_missing_tables_keeps_their_previous_version(landing_copy, tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_landing(con, landing_copy, "run1", **QUIET)
    kept = {"ext_vacancies", "ext_population"}
    before = {t: snapshot_table(con, t) for t in kept}
    # a newer drop for 884 with every table except these two
    contract = set(extract_contract())
    later = add_drop(landing_copy, ["884"], LATER, tmp_path, seed=2, keep=contract - kept)
    report = load_landing(con, landing_copy, "run2", **QUIET)
    assert report.loaded_authorities == ["884"]
    for t in kept:
        assert snapshot_table(con, t) == before[t]
        assert con.execute(
            "SELECT CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions "
            "WHERE la_code = '884' AND table_name = ?",
            [t],
        ).fetchall() == [(END.isoformat(),)]
    for t in sorted(contract - kept):
        if count_records(landing_copy / "884" / later / f"{t}.csv"):
            got = con.execute(
                f"SELECT DISTINCT CAST(extract_date AS VARCHAR) FROM raw.{t} WHERE la_code = '884'"
            )
            assert got.fetchall() == [(later,)], t


def snapshot_table(con, table):
    return sorted(con.execute(f"SELECT * EXCLUDE (_extras) FROM raw.{table}").fetchall(), key=str)


def test_unreadable_newer_drop_keeps_the_previous_version_even_when_the_old_file_is_gone(
    landing_copy, tmp_path
):
    con = connect(tmp_path / "w.duckdb")
    load_landing(con, landing_copy, "run1", **QUIET)
    tables = ["ext_vacancies", "ssd_cin_visits", "ext_staff", "ssd_cp_reviews"]
    before = {t: snapshot_table(con, t) for t in tables}
    assert all(before.values())
    old = landing_copy / "884" / END.isoformat()
    new = landing_copy / "884" / "2025-04-30"
    new.mkdir()
    header = (old / "ssd_cin_visits.csv").read_text().split("\n", 1)[0]
    (new / "ext_vacancies.csv").write_bytes(
        b"vaca_id,vaca_team_id\n\x81\x8d\x8f,x\n"
    )  # neither UTF-8 nor cp1252
    (new / "ssd_cin_visits.csv").write_text(header + "\n")  # header only
    staff = (old / "ext_staff.csv").read_text().split("\n")
    (new / "ext_staff.csv").write_text(
        "staf_id,staf_role\n" + "\n".join(r.split(",", 1)[0] + ",X" for r in staff[1:3])
    )
    (new / "ssd_cp_reviews.csv").write_bytes(b"")  # empty
    for t in (
        "ext_vacancies",
        "ext_staff",
    ):  # the old file has been archived: nothing to fall back on
        (old / f"{t}.csv").unlink()
    report = load_landing(con, landing_copy, "run2", **QUIET)
    messages = {r.source_file: r.message for r in report.failed}
    assert set(messages) == {f"884/2025-04-30/{t}.csv" for t in tables}
    assert "neither UTF-8 nor Windows-1252" in messages["884/2025-04-30/ext_vacancies.csv"]
    assert "header only" in messages["884/2025-04-30/ssd_cin_visits.csv"]
    assert (
        "required column(s) missing from the header: staf_professional_id"
        in messages["884/2025-04-30/ext_staff.csv"]
    )
    assert "empty file" in messages["884/2025-04-30/ssd_cp_reviews.csv"]
    for t in tables:
        assert snapshot_table(con, t) == before[t], t
        assert con.execute(
            "SELECT CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions "
            "WHERE la_code = '884' AND table_name = ?",
            [t],
        ).fetchall() == [(END.isoformat(),)]
    logged = con.execute(
        "SELECT source_file, message FROM raw_meta.load_log WHERE status = 'failed' "
        "AND run_id = 'run2'"
    ).fetchall()
    assert dict(logged) == messages


def test_many_authorities_and_drops_all_load(tmp_path):
    landing = tmp_path / "landing"
    codes = ["884", "801", "802"]
    generate(landing, years=1, end_date=END, seed=3, la_codes=codes, children=700)
    later = add_drop(landing, codes, LATER, tmp_path, seed=3, children=700)
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, landing, "run1", **QUIET)
    assert sorted(report.loaded_authorities) == sorted(codes)
    assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone()[0] == 0
    nonempty = 0
    for (la, table), rel in current_files(landing).items():
        assert rel.split("/")[1] == later
        n = count_records(landing / rel)
        got = con.execute(f"SELECT count(*) FROM raw.{table} WHERE la_code = ?", [la]).fetchone()[0]
        assert got == n, rel
        nonempty += n > 0
        if n:
            assert con.execute(
                "SELECT CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions "
                "WHERE la_code = ? AND table_name = ?",
                [la, table],
            ).fetchall() == [(later,)]
    assert nonempty > 3 * 35
    # provenance on every raw row: authority, drop and file, and the line of the record in it
    for table in extract_contract():
        lines = con.execute(
            f"SELECT la_code, source_file, source_line FROM raw.{table} "
            "WHERE la_code IS NULL OR extract_date IS NULL OR source_line IS NULL LIMIT 1"
        ).fetchall()
        assert lines == []
    la, rel, line = con.execute(
        "SELECT la_code, source_file, source_line FROM raw.ssd_cin_visits "
        "ORDER BY source_file, source_line LIMIT 1 OFFSET 5"
    ).fetchone()
    cin_id = con.execute(
        "SELECT cinv_cin_visit_id FROM raw.ssd_cin_visits WHERE source_file = ? AND source_line = ?",
        [rel, line],
    ).fetchone()[0]
    assert (
        pseudonym_of("cin_visit", la, dict(records(landing / rel))[line]["cinv_cin_visit_id"])
        == cin_id
    )
    log = con.execute(
        "SELECT count(*), count(file_sha256), min(length(file_sha256)), min(file_bytes) "
        "FROM raw_meta.load_log WHERE status = 'loaded'"
    ).fetchone()
    assert log == (nonempty, nonempty, 64, log[3]) and log[3] > 0


def test_a_drop_dated_in_the_future_is_refused_with_the_reason(tmp_path):
    from datetime import date

    from orchestration.lib.ingest.landing import scan_landing

    for day in ("2024-06-30", "2099-01-01"):
        (tmp_path / "884" / day).mkdir(parents=True)
        (tmp_path / "884" / day / "ssd_person.csv").write_text(
            "pers_person_id\n1\n", encoding="utf-8"
        )
    scan = scan_landing(tmp_path, today=date(2026, 12, 3))
    assert [f.extract_date for f in scan.files] == [date(2024, 6, 30)]
    assert scan.ignored == [
        (
            f"{tmp_path / '884' / '2099-01-01'}: extract date 2099-01-01 is in the future "
            "(today is 2026-12-03); refused: rename the folder to the date the extract was taken"
        )
    ]
    # the day itself is not the future
    assert len(scan_landing(tmp_path, today=date(2099, 1, 1)).files) == 2
