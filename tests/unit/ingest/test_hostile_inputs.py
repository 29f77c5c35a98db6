"""The catalogue of hostile inputs (issue 13; listed with outcomes in docs/data_quality.md,
section "Hostile inputs"): every case a hand-made file in a temporary landing area and the exact
outcome, worked out by hand in the comments:

- loaded: the lines that load, and every quarantined line with its column and reason;
- refused: the load log's message, naming the file and the reason (and the line and column
  where there is one);
- row accounting from raw_meta: rows read = loaded + quarantined, equal to the rows in raw and
  the distinct lines in the quarantine;
- nothing else changed: the authority's previous version of the table (drop 2025-03-31) stays
  current when the newer drop's file is refused, and the other tables stay as they were.

Cases the neighbouring tests already prove are not repeated here; the catalogue names them.
"""

import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration.lib.ingest import landing as landing_module
from orchestration.lib.ingest import loader
from orchestration.lib.ingest.loader import load_landing

from .conftest import QUIET, connect, snapshot

OLD, NEW = "2025-03-31", "2025-04-30"
DEPT = "dept_team_id,dept_team_name,dept_team_parent_id\n"  # 48 bytes with its line end
PROF = "prof_professional_id,prof_professional_caseload\n"
PERSON = "pers_person_id,pers_dob\n"
# the previous drop: every table a case replaces, so a refused file has a version to keep
BASELINE = {
    "ssd_department": DEPT + "A1,Old team,\nA2,Old team 2,A1\n",
    "ssd_professionals": PROF + "W1,10\n",
    "ssd_person": PERSON + "C1,2015-01-02\n",
}
# changed by every load of the authority: compared apart
LOAD_STATE = {"raw_meta.load_log", "raw_meta.authority_state", "raw_meta.landing_ignored"}


def file_in(landing: Path, day: str, name: str, data: bytes | str) -> Path:
    path = landing / "884" / day / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A landing with the previous drop and the warehouse that loaded it (copied by each case)."""
    base = tmp_path_factory.mktemp("hostile-baseline")
    for table, text in BASELINE.items():
        path = file_in(base / "landing", OLD, f"{table}.csv", text)
        os.utime(path, (time.time() - 3600,) * 2)  # delivered an hour ago: settled
    con = connect(base / "w.duckdb")
    load_landing(con, base / "landing", "run0", settle_seconds=0, **QUIET)
    con.close()
    return base


@pytest.fixture
def warehouse(baseline, tmp_path):
    shutil.copytree(baseline / "landing", tmp_path / "landing")  # copy2: sizes and times kept
    shutil.copy(baseline / "w.duckdb", tmp_path / "w.duckdb")
    con = connect(tmp_path / "w.duckdb")
    yield tmp_path / "landing", con
    con.close()


def accounting(con, table: str, source_file: str) -> tuple:
    """(status, message, read, loaded, quarantined) of this run's log, with the rows behind them."""
    status, message, read, loaded, quarantined = con.execute(
        "SELECT status, message, rows_read, rows_loaded, rows_quarantined FROM raw_meta.load_log "
        "WHERE run_id = 'run1' AND source_file = ?",
        [source_file],
    ).fetchone()
    assert read == loaded + quarantined
    in_raw = con.execute(
        f"SELECT count(*) FROM raw.{table} WHERE source_file = ?", [source_file]
    ).fetchone()[0]
    lines = con.execute(
        "SELECT count(DISTINCT line) FROM raw_meta.quarantine WHERE source_file = ?", [source_file]
    ).fetchone()[0]
    assert (in_raw, lines) == (loaded, quarantined)
    return status, message, read, loaded, quarantined


def unchanged_except(before: dict, after: dict, changed: set[str]) -> None:
    for name in sorted(set(before) | set(after)):
        if name not in changed | LOAD_STATE:
            assert after.get(name) == before.get(name), f"{name} changed"


# --- refused files: (case, table, bytes, reason after "<file>: ") ---------------------------------------

TEN_THOUSAND = ",".join(["dept_team_id"] + [f"c{i}" for i in range(2, 10_001)]) + "\n"
REFUSED = [
    ("empty_file", "ssd_department", b"", "empty file (0 bytes)"),
    ("header_only", "ssd_department", DEPT, "header only, no rows"),
    # three line ends: line 1 holds no name at all
    (
        "blank_lines_only",
        "ssd_department",
        "\n\n\n",
        "no header: line 1 is empty (a file of blank lines?)",
    ),
    # bytes 0x81 0x8d 0x8f 0x90 0x9d: not UTF-8 (0x81 cannot start a character) and the five
    # values Windows-1252 leaves undefined: the first is line 1, column 1, byte 0
    (
        "binary_garbage",
        "ssd_department",
        b"\x81\x8d\x8f\x90\x9d" * 200,
        "neither UTF-8 nor Windows-1252 text (first bad byte at line 1, column 1 (byte 0))",
    ),
    # an Excel workbook saved under a .csv name: a ZIP archive (magic number PK 03 04)
    (
        "xlsx_named_csv",
        "ssd_department",
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 30 + b"[Content_Types].xml",
        "a ZIP archive (an Excel .xlsx workbook saved under a .csv name?), not CSV text",
    ),
    # an Excel 97-2003 workbook: an OLE2 compound document (magic number D0 CF 11 E0)
    (
        "xls_named_csv",
        "ssd_department",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
        "an OLE2 document (an Excel .xls workbook?), not CSV text",
    ),
    # the header is 48 bytes (line 1); "T1,Te" is 5 more: the NUL is byte 53, line 2, column 6
    (
        "nul_byte",
        "ssd_department",
        DEPT.encode() + b"T1,Te\x00am,\n",
        "NUL byte at line 2, column 6 (byte 53): not text (binary, or UTF-16 without a byte-order mark)",
    ),
    (
        "utf16_with_bom",
        "ssd_department",
        (DEPT + "T1,Team 1,\n").encode("utf-16"),  # little-endian, BOM FF FE
        "UTF-16 text (byte-order mark FF FE): export the extract as UTF-8 or Windows-1252",
    ),
    # 'd' then 00: the first NUL is byte 1, line 1, column 2
    (
        "utf16_without_bom",
        "ssd_department",
        (DEPT + "T1,Team 1,\n").encode("utf-16-le"),
        "NUL byte at line 1, column 2 (byte 1): not text (binary, or UTF-16 without a byte-order mark)",
    ),
    # 48 header bytes + "T1,Team " (8): the 0x81 is byte 56, line 2, column 9; 0x81 is neither
    # a UTF-8 start byte nor defined in Windows-1252
    (
        "wrong_encoding",
        "ssd_department",
        DEPT.encode() + b"T1,Team \x81,\n",
        "neither UTF-8 nor Windows-1252 text (first bad byte at line 2, column 9 (byte 56))",
    ),
    (
        "duplicate_header",
        "ssd_department",
        "dept_team_id,dept_team_name,dept_team_name\nT1,a,b\n",
        "column(s) appear twice in the header: dept_team_name (columns 2 and 3)",
    ),
    (
        "duplicate_header_other_case",
        "ssd_department",
        "dept_team_id,DEPT_TEAM_ID,dept_team_name\nT1,T2,a\n",
        "column(s) appear twice in the header: dept_team_id (columns 1 and 2)",
    ),
    (
        "unknown_column_only",
        "ssd_department",
        "colour\nred\n",
        "required column(s) missing from the header: dept_team_id",
    ),
    # a header line of 13 + 1,048,576 characters: over the 1 MiB the loader reads of line 1
    (
        "header_over_1_mib",
        "ssd_department",
        "dept_team_id," + "h" * (1 << 20) + "\nT1,x\n",
        "line 1 (the header) is longer than 1,048,576 characters: refused unread",
    ),
    (
        "ten_thousand_columns",
        "ssd_department",
        TEN_THOUSAND + ",".join(["T1"] + ["x"] * 9_999) + "\n",
        "line 1 (the header) has 10,000 columns, over the bound of 1,000: refused unread",
    ),
]


@pytest.mark.parametrize("case, table, data, reason", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_file_names_file_and_reason_and_keeps_the_previous_version(
    warehouse, case, table, data, reason
):
    landing, con = warehouse
    before = snapshot(con)
    file_in(landing, NEW, f"{table}.csv", data)
    started = time.perf_counter()
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    assert (
        time.perf_counter() - started < 20
    )  # bounded, whatever the file (10,000 columns: refused unread)
    source = f"884/{NEW}/{table}.csv"
    assert [r.message for r in report.failed] == [f"{source}: {reason}"]
    assert accounting(con, table, source) == ("failed", f"{source}: {reason}", 0, 0, 0)
    after = snapshot(con)
    unchanged_except(before, after, set())  # raw, quarantine, current versions: as they were
    assert con.execute(
        "SELECT CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions WHERE table_name = ?",
        [table],
    ).fetchall() == [(OLD,)]


# --- files that load, with quarantined lines: (case, table, bytes, lines loaded, quarantine) --------------

BIG = 10 << 20  # a 10 MB field
LOADED = [
    # the last line cut off mid-value: 2 of 3 fields
    (
        "truncated_last_line",
        "ssd_department",
        DEPT + "T1,Team 1,\nT2,Tea",
        [2],
        [
            (
                3,
                "dept_team_parent_id",
                "malformed CSV row: MISSING COLUMNS: Expected Number of Columns: 3 Found: 2",
            )
        ],
    ),
    # cut off inside a quoted value: the quote never closes, so line 3 and everything after it is
    # one unterminated value (by the CSV grammar, one record: rows read 2)
    (
        "truncated_inside_quotes",
        "ssd_department",
        DEPT + 'T1,Team 1,\nT2,"Team 2,\nT3,Team 3,\n',
        [2],
        [
            (
                3,
                "dept_team_name",
                "malformed CSV row: UNQUOTED VALUE: Value with unterminated quote found.",
            )
        ],
    ),
    # "T1," + 10,485,760 bytes + "," is a line of 10,485,764 bytes, over DuckDB's 2,000,000: that
    # line is quarantined (no column: the line was not split), line 3 loads
    (
        "ten_mb_field",
        "ssd_department",
        DEPT + "T1," + "a" * BIG + ",\nT2,Team 2,\n",
        [3],
        [
            (
                2,
                None,
                (
                    "malformed CSV row: LINE SIZE OVER MAXIMUM: Maximum line size of 2000000 bytes exceeded. "
                    "Actual Size:10485764 bytes."
                ),
            )
        ],
    ),
    # numbers with thousand separators: quoted, the value is not an integer; unquoted, the row
    # has one field too many
    (
        "thousand_separator_quoted",
        "ssd_professionals",
        PROF + 'W2,"1,234"\nW3,12\n',
        [3],
        [(2, "prof_professional_caseload", "not a valid integer")],
    ),
    (
        "thousand_separator_space",
        "ssd_professionals",
        PROF + "W2,1 234\nW3,12\n",
        [3],
        [(2, "prof_professional_caseload", "not a valid integer")],
    ),
    (
        "thousand_separator_unquoted",
        "ssd_professionals",
        PROF + "W2,1,234\nW3,12\n",
        [3],
        [(2, None, "malformed CSV row: TOO MANY COLUMNS: Expected Number of Columns: 2 Found: 3")],
    ),
    # dates that are no date: no 31 February, no month 13, an ISO week date, an Excel serial
    # number, a two-digit year (strptime would read it as the year 24), month-first
    (
        "date_31_february",
        "ssd_person",
        PERSON + "C2,31/02/2024\nC3,2016-02-03\n",
        [3],
        [(2, "pers_dob", "not a valid datetime")],
    ),
    (
        "date_month_13",
        "ssd_person",
        PERSON + "C2,2024-13-01\nC3,2016-02-03\n",
        [3],
        [(2, "pers_dob", "not a valid datetime")],
    ),
    (
        "iso_week_date",
        "ssd_person",
        PERSON + "C2,2024-W05-3\nC3,2016-02-03\n",
        [3],
        [(2, "pers_dob", "not a valid datetime")],
    ),
    (
        "excel_serial_date",
        "ssd_person",
        PERSON + "C2,45321\nC3,2016-02-03\nC4,45321.5\n",
        [3],
        [(2, "pers_dob", "not a valid datetime"), (4, "pers_dob", "not a valid datetime")],
    ),
    (
        "two_digit_year",
        "ssd_person",
        PERSON + "C2,31/03/24\nC3,2016-02-03\n",
        [3],
        [(2, "pers_dob", "not a valid datetime")],
    ),
    (
        "month_first_date",
        "ssd_person",
        PERSON + "C2,03/31/2024\nC3,2016-02-03\n",
        [3],
        [(2, "pers_dob", "not a valid datetime")],
    ),
]


@pytest.mark.parametrize("case, table, data, lines, quarantine", LOADED, ids=[c[0] for c in LOADED])
def test_loaded_file_quarantines_exactly_the_bad_lines(
    warehouse, case, table, data, lines, quarantine
):
    landing, con = warehouse
    before = snapshot(con)
    file_in(landing, NEW, f"{table}.csv", data)
    started = time.perf_counter()
    load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    assert time.perf_counter() - started < 20
    source = f"884/{NEW}/{table}.csv"
    read = len(lines) + len(quarantine)
    assert accounting(con, table, source) == ("loaded", "", read, len(lines), len(quarantine))
    assert con.execute(
        f"SELECT source_line FROM raw.{table} WHERE la_code = '884' ORDER BY 1"
    ).fetchall() == [
        (n,) for n in lines
    ]  # the previous version's rows are gone: this file is current
    assert (
        con.execute(
            "SELECT line, column_name, reason FROM raw_meta.quarantine WHERE source_file = ? "
            "ORDER BY line",
            [source],
        ).fetchall()
        == quarantine
    )
    after = snapshot(con)
    unchanged_except(
        before,
        after,
        {
            f"raw.{table}",
            "raw_meta.current_versions",
            "raw_meta.quarantine",
            "raw_meta.orphans",
            "raw_meta.value_notes",
        },
    )
    assert con.execute(
        "SELECT table_name, CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions ORDER BY 1"
    ).fetchall() == sorted((t, NEW if t == table else OLD) for t in BASELINE)


# --- the landing area: folders, links, files being written, drops out of order ---------------------------


def ignored(con) -> dict[str, str]:
    return dict(con.execute("SELECT path, reason FROM raw_meta.landing_ignored").fetchall())


def test_bad_folder_names_are_listed_and_nothing_in_them_is_read(warehouse):
    landing, con = warehouse
    before = snapshot(con)
    # not YYYY-MM-DD (Python 3.11 itself would read the last two as 2025-04-30), or no such day
    for folder in ("2025-4-30", "latest", "2025-02-30", "20250430", "2025-W18-3"):
        file_in(landing, folder, "ssd_department.csv", DEPT + "X1,Not read,\n")
    (landing / "Leeds" / NEW).mkdir(parents=True)  # not a three-digit authority code
    (landing / "Leeds" / NEW / "ssd_department.csv").write_text(DEPT + "X1,Not read,\n")
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    assert report.loaded_authorities == [] and report.failed == []
    assert ignored(con) == {
        "884/2025-4-30": "not a YYYY-MM-DD drop folder",
        "884/latest": "not a YYYY-MM-DD drop folder",
        "884/2025-02-30": "not a YYYY-MM-DD drop folder",
        "884/20250430": "not a YYYY-MM-DD drop folder",
        "884/2025-W18-3": "not a YYYY-MM-DD drop folder",
        "Leeds": "not a three-digit authority code",
    }
    unchanged_except(before, snapshot(con), set())


def test_symbolic_links_out_of_the_landing_area_are_refused_unread(warehouse, tmp_path):
    landing, con = warehouse
    snapshot_before = snapshot(
        con, exclude={"run_id", "loaded_at", "seconds", "source_file", "extract_date"}
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "ssd_department.csv"
    secret.write_text(
        DEPT + "S1,Secret team,\n"
    )  # a readable extract: only the link makes it hostile
    (landing / "884" / NEW).mkdir()
    (landing / "884" / NEW / "ssd_department.csv").symlink_to(secret)  # a file linked out
    (landing / "884" / "2025-04-29").symlink_to(
        outside, target_is_directory=True
    )  # a drop linked out
    (landing / "885").symlink_to(
        tmp_path / "outside_la", target_is_directory=True
    )  # an authority linked out
    (tmp_path / "outside_la" / NEW).mkdir(parents=True)
    (tmp_path / "outside_la" / NEW / "ssd_department.csv").write_text(DEPT + "S2,Secret,\n")
    # a link inside the landing area is followed: an authority's drop pointing at its own older drop
    (landing / "884" / "2025-04-28").symlink_to(landing / "884" / OLD, target_is_directory=True)
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    assert report.failed == []
    why = "outside the landing area: refused, not read"
    assert ignored(con) == {
        f"884/{NEW}/ssd_department.csv": f"a symbolic link to {secret.resolve()}, {why}",
        "884/2025-04-29": f"a symbolic link to {outside.resolve()}, {why}",
        "885": f"a symbolic link to {(tmp_path / 'outside_la').resolve()}, {why}",
    }
    assert con.execute(
        "SELECT count(*) FROM raw.ssd_department WHERE dept_team_name LIKE 'Secret%'"
    ).fetchone() == (0,)
    # the drop linked inside is the old drop under a later date: it is current, rows not doubled
    assert con.execute("SELECT DISTINCT source_file FROM raw.ssd_department").fetchall() == [
        ("884/2025-04-28/ssd_department.csv",)
    ]
    assert con.execute("SELECT count(*) FROM raw.ssd_department").fetchone() == (2,)
    moved = {
        "run_id",
        "loaded_at",
        "seconds",
        "source_file",
        "extract_date",
    }  # the same rows, from 2025-04-28
    unchanged_except(snapshot_before, snapshot(con, exclude=moved), set())


def test_a_file_modified_within_the_settle_window_waits_for_a_later_run(warehouse, monkeypatch):
    landing, con = warehouse
    before = snapshot(con)
    path = file_in(landing, NEW, "ssd_department.csv", DEPT + "T1,Team 1,\n")
    now = time.time()
    monkeypatch.setattr(
        landing_module, "time", SimpleNamespace(time=lambda: now)
    )  # the scan's clock
    os.utime(path, (now - 10, now - 10))  # written 10 s ago: within a 60 s window
    report = load_landing(con, landing, "run1", settle_seconds=60, **QUIET)
    assert report.loaded == [] and report.failed == []
    assert ignored(con) == {
        f"884/{NEW}/ssd_department.csv": (
            "modified 10 s ago, within the settle window of 60 s (CSCW_LANDING_SETTLE_SECONDS): "
            "may still be being written, left for a later run"
        )
    }
    unchanged_except(before, snapshot(con), set())
    os.utime(path, (now - 61, now - 61))  # settled: the next run takes it
    load_landing(con, landing, "run1", settle_seconds=60, **QUIET)
    assert accounting(con, "ssd_department", f"884/{NEW}/ssd_department.csv") == (
        "loaded",
        "",
        1,
        1,
        0,
    )
    assert ignored(con) == {}


def test_a_file_growing_while_it_is_read_is_not_taken(warehouse, monkeypatch):
    landing, con = warehouse
    before = snapshot(con)
    path = file_in(landing, NEW, "ssd_department.csv", DEPT + "T1,Team 1,\n")  # 48 + 11 = 59 bytes
    real = loader.inspect_file

    def still_writing(file, *args, **kwargs):  # the writer appends a line while the loader reads
        out = real(file, *args, **kwargs)
        if file == path and path.stat().st_size == 59:
            with open(path, "a") as f:
                f.write("T2,Team 2,\n")  # 11 bytes more: 70
        return out

    monkeypatch.setattr(loader, "inspect_file", still_writing)
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    source = f"884/{NEW}/ssd_department.csv"
    message = (
        f"{source}: changed while it was being read (59 bytes -> 70 bytes): still being written? "
        "not taken; a later run reads it whole"
    )
    assert [r.message for r in report.failed] == [message]
    assert accounting(con, "ssd_department", source) == ("failed", message, 0, 0, 0)
    unchanged_except(before, snapshot(con), set())
    monkeypatch.setattr(loader, "inspect_file", real)
    load_landing(con, landing, "run2", settle_seconds=0, **QUIET)  # written whole now: both rows
    assert con.execute("SELECT source_line FROM raw.ssd_department ORDER BY 1").fetchall() == [
        (2,),
        (3,),
    ]


def test_a_drop_older_than_the_current_one_changes_nothing_it_has_a_newer_version_of(warehouse):
    landing, con = warehouse
    before = snapshot(con)
    # arrives late, dated before the current drop: its ssd_department is older than the current
    # one (not used); its ssd_cin_visits, never delivered before, is the newest version there is
    file_in(landing, "2025-01-31", "ssd_department.csv", DEPT + "Z1,Older team,\n")
    file_in(
        landing,
        "2025-01-31",
        "ssd_cin_visits.csv",
        "cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date\nV1,C1,2025-01-10\n",
    )
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    assert report.failed == [] and ignored(con) == {}
    current = sorted([(t, OLD) for t in BASELINE] + [("ssd_cin_visits", "2025-01-31")])
    assert (
        con.execute(
            "SELECT table_name, CAST(extract_date AS VARCHAR) FROM raw_meta.current_versions "
            "ORDER BY 1"
        ).fetchall()
        == current
    )
    assert accounting(con, "ssd_cin_visits", "884/2025-01-31/ssd_cin_visits.csv") == (
        "loaded",
        "",
        1,
        1,
        0,
    )
    assert con.execute(
        "SELECT count(*) FROM raw_meta.load_log WHERE run_id = 'run1' "
        "AND source_file LIKE '%2025-01-31/ssd_department.csv'"
    ).fetchone() == (0,)
    unchanged_except(
        before,
        snapshot(con),
        {"raw.ssd_cin_visits", "raw_meta.current_versions", "raw_meta.orphans"},
    )


def test_two_files_for_one_table_in_one_drop_and_files_that_feed_nothing_are_listed(warehouse):
    landing, con = warehouse
    file_in(
        landing, NEW, "SSD_DEPARTMENT.csv", DEPT + "U1,Upper,\n"
    )  # the same table, sorted first
    file_in(landing, NEW, "ssd_department.csv", DEPT + "L1,Lower,\n")
    file_in(landing, NEW, "notes.txt", "not an extract\n")
    (landing / "884" / NEW / "ssd_person.csv").mkdir()  # a folder named like a table
    load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    not_recognised = (
        "not recognised: neither an extract table (ssd_* or ext_* .csv or .parquet), an SSDA903 table "
        "(by file name or exact column set) nor a return XML (CIN census, CSWW, SSDA903)"
    )
    assert ignored(con) == {
        f"884/{NEW}/ssd_department.csv": "ssd_department delivered twice in one drop; SSD_DEPARTMENT.csv is used",
        f"884/{NEW}/notes.txt": not_recognised,
        f"884/{NEW}/ssd_person.csv": "not a file",
    }
    assert accounting(con, "ssd_department", f"884/{NEW}/SSD_DEPARTMENT.csv") == (
        "loaded",
        "",
        1,
        1,
        0,
    )


# --- XML returns: a DTD hidden past the prolog the loader sniffs ------------------------------------------


def test_a_dtd_after_64_kb_of_comment_is_still_refused_and_nothing_expanded(warehouse):
    landing, con = warehouse
    before = snapshot(con)
    padding = "<!--" + "x" * (70 << 10) + "-->\n"  # past the 64 KB the prolog check reads
    bomb = (
        '<?xml version="1.0"?>\n'
        + padding
        + '<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>2022</Year>"
        "</CollectionDetails></Header><CSWWWorker><SWENo>&c;&xxe;</SWENo></CSWWWorker></Message>\n"
    )
    file_in(landing, NEW, "csww.xml", bomb)
    report = load_landing(con, landing, "run1", settle_seconds=0, **QUIET)
    source = f"884/{NEW}/csww.xml"
    assert report.failed and {r.message for r in report.failed} == {
        f"{source}: XML declares a DTD: refused, nothing loaded"
    }
    assert con.execute(
        "SELECT DISTINCT status, message FROM raw_meta.load_log WHERE run_id = 'run1' "
        "AND source_file = ?",
        [source],
    ).fetchall() == [("failed", (f"{source}: XML declares a DTD: refused, nothing loaded"))]
    unchanged_except(before, snapshot(con), set())
