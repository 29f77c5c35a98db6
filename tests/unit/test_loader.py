"""The raw loader on hand-written files: quarantine with file, line, column and reason; row
counts that add up; the previous version kept when a newer drop is unreadable; no work on re-run."""

from pathlib import Path

import duckdb
import pytest

from orchestration.lib.ingest.loader import load_landing
from tests.conftest import pseudonym_of

PERSON = (
    "\ufeffPERS_PERSON_ID,pers_forename,pers_surname,pers_sex,pers_dob,extra_col\n"  # BOM, upper-case header
    "P1,Ann,Smith,F,2015-01-02,x\n"  # line 2: duplicate key with line 5
    "P2,Bob,Jones,M,31/03/2012,y\n"  # line 3: UK date, loads
    "P3,C,D,M,notadate,z\n"  # line 4: bad date
    "P1,Dup,Dup,F,2010-01-01,w\n"  # line 5: duplicate key
    'P5,"multi\nline",E,F,2011-01-01,v\n'  # lines 6-7: a quoted line break, loads
    "P6,too,many,F,2011-01-01,v,extra\n"  # line 8: too many columns
    "P7,G,H,,2011-01-01,u\n"  # line 9: no sex recorded: loads (only key, child and event date are required)
)
DEPARTMENT = (
    "dept_team_id,dept_team_name,dept_team_parent_id\nSA1,Service,\nT1,Team 1,SA1\nT2,Orphan,SAX\n"
)
# R2's child P9 is not in ssd_person: an orphan, loaded and counted, never quarantined
EPISODES = (
    "cine_referral_id,cine_person_id,cine_referral_date\nR1,P2,2024-01-05\nR2,P9,2024-01-06\n"
)


def write(path: Path, text: str, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


@pytest.fixture
def landing(tmp_path):
    drop = tmp_path / "landing" / "884" / "2025-03-31"
    write(drop / "ssd_person.csv", PERSON)
    write(drop / "ssd_department.csv", DEPARTMENT)
    write(drop / "ssd_cin_episodes.csv", EPISODES)
    write(
        tmp_path / "landing" / "884" / "2025-04-30" / "ssd_department.csv", ""
    )  # empty newer drop
    return tmp_path / "landing"


def test_quarantine_names_line_column_and_reason(landing, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    report = load_landing(con, landing, "run1", log=lambda s: None)
    got = con.execute(
        "SELECT table_name, line, column_name, reason FROM raw_meta.quarantine ORDER BY table_name, line"
    ).fetchall()
    assert got == [
        (
            "ssd_person",
            2,
            "pers_person_id",
            "duplicate primary key pers_person_id (2 rows share it)",
        ),
        ("ssd_person", 4, "pers_dob", "not a valid datetime"),
        (
            "ssd_person",
            5,
            "pers_person_id",
            "duplicate primary key pers_person_id (2 rows share it)",
        ),
        (
            "ssd_person",
            8,
            None,
            "malformed CSV row: TOO MANY COLUMNS: Expected Number of Columns: 6 Found: 7",
        ),
    ]
    # 7 records read = 3 loaded (P2, P5, P7) + 4 quarantined; orphans load
    assert report.by_table()["ssd_person"] == {
        "files": 1,
        "rows_read": 7,
        "rows_loaded": 3,
        "rows_quarantined": 4,
    }
    assert report.by_table()["ssd_cin_episodes"] == {
        "files": 1,
        "rows_read": 2,
        "rows_loaded": 2,
        "rows_quarantined": 0,
    }
    rows = con.execute(
        "SELECT pers_person_id, pers_dob::date::varchar, source_line, _extras FROM raw.ssd_person"
    ).fetchall()
    assert sorted(rows, key=lambda r: r[2]) == [
        (pseudonym_of("person", "884", "P2"), "2012-03-31", 3, '{"extra_col":"y"}'),
        (pseudonym_of("person", "884", "P5"), "2011-01-01", 6, '{"extra_col":"v"}'),
        (pseudonym_of("person", "884", "P7"), "2011-01-01", 9, '{"extra_col":"u"}'),
    ]
    # a quasi-identifier's bad value is not copied into the quarantine
    assert con.execute(
        "SELECT value FROM raw_meta.quarantine WHERE column_name = 'pers_dob'"
    ).fetchall() == [(None,)]
    # references without a parent row, per table and column, with the lines to look at
    assert con.execute(
        "SELECT table_name, column_name, parent_table, parent_delivered, rows_with_reference, rows_orphaned, "
        "references_orphaned, example_lines FROM raw_meta.orphans ORDER BY 1"
    ).fetchall() == [
        ("ssd_cin_episodes", "cine_person_id", "ssd_person", True, 2, 1, 1, "3"),
        ("ssd_department", "dept_team_parent_id", "ssd_department", True, 2, 1, 1, "4"),
    ]


def test_names_and_ids_never_enter_raw(landing, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_landing(con, landing, "run1", log=lambda s: None)
    columns = {
        r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw.ssd_person)").fetchall()
    }
    assert (
        not {"pers_forename", "pers_surname", "pers_single_unique_id", "pers_upn", "pers_legacy_id"}
        & columns
    )
    # the restricted schema says who each pseudonym is, for the restricted outputs only
    assert sorted(
        con.execute(
            "SELECT source_id, pseudonym FROM restricted.key_map WHERE kind = 'person'"
        ).fetchall()
    ) == [(p, pseudonym_of("person", "884", p)) for p in ("P2", "P5", "P7", "P9")]
    assert sorted(
        con.execute(
            "SELECT pseudonym, column_name, value FROM restricted.direct_identifiers WHERE table_name = 'ssd_person'"
        ).fetchall()
    ) == sorted(
        [
            (pseudonym_of("person", "884", "P2"), "pers_forename", "Bob"),
            (pseudonym_of("person", "884", "P2"), "pers_surname", "Jones"),
            (pseudonym_of("person", "884", "P5"), "pers_forename", "multi\nline"),
            (pseudonym_of("person", "884", "P5"), "pers_surname", "E"),
            (pseudonym_of("person", "884", "P7"), "pers_forename", "G"),
            (pseudonym_of("person", "884", "P7"), "pers_surname", "H"),
        ]
    )


def test_unreadable_newer_drop_keeps_previous_version_and_rerun_does_nothing(landing, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    report = load_landing(con, landing, "run1", log=lambda s: None)
    assert [(r.file.table, r.message) for r in report.failed] == [
        ("ssd_department", "884/2025-04-30/ssd_department.csv: empty file (0 bytes)")
    ]
    assert con.execute(
        "SELECT DISTINCT extract_date::varchar FROM raw.ssd_department"
    ).fetchall() == [("2025-03-31",)]
    again = load_landing(con, landing, "run2", log=lambda s: None)
    assert again.skipped_authorities == ["884"] and again.loaded == []
    assert (
        con.execute("SELECT count(*) FROM raw.ssd_person").fetchall()[0][0] == 3
    )  # not duplicated


def test_windows_1252_file_loads_its_characters(tmp_path):
    drop = tmp_path / "landing" / "884" / "2025-03-31"
    write(
        drop / "ssd_department.csv",
        "dept_team_id,dept_team_name\nT1,Children\u2019s team \u00e9\n",
        "cp1252",
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    report = load_landing(con, tmp_path / "landing", "run1", log=lambda s: None)
    assert report.loaded[0].encoding == "windows-1252"
    assert con.execute("SELECT dept_team_name FROM raw.ssd_department").fetchall() == [
        ("Children\u2019s team \u00e9",)
    ]


def test_missing_required_column_fails_the_file(tmp_path):
    drop = tmp_path / "landing" / "884" / "2025-03-31"
    write(drop / "ssd_cin_episodes.csv", "cine_referral_id,cine_referral_date\nR1,2024-01-05\n")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    report = load_landing(con, tmp_path / "landing", "run1", log=lambda s: None)
    assert report.failed[0].message == (
        "884/2025-03-31/ssd_cin_episodes.csv: required column(s) missing from the header: cine_person_id"
    )
