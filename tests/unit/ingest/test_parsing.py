"""Hand-written files: the accepted spellings of dates, timestamps, flags, headers and encodings,
missing optional columns, and references that load whether or not their parent row does.
Every expected value is worked out by hand from the text below."""

from datetime import datetime
from pathlib import Path

from orchestration.lib.ingest.loader import load_landing
from tests.conftest import pseudonym_of

from .conftest import QUIET, connect

PERSON = "pers_person_id,pers_sex,pers_dob\nP1,F,2015-01-02\nP2,M,2016-02-03\n"
# upper-case header, CRLF line ends, a UTF-8 byte-order mark, no cinv_cin_visit_bedroom column (optional)
VISITS = (
    "\ufeffCINV_CIN_VISIT_ID,Cinv_Person_Id,CINV_CIN_VISIT_DATE,cinv_cin_visit_seen,cinv_cin_visit_seen_alone\r\n"
    "V1,P1,2024-03-31,Y,N\r\n"  # 2: ISO date
    "V2,P1,2024-03-31 14:05:00,1,0\r\n"  # 3: ISO timestamp, 1/0
    "V3,P2,2024-03-31T14:05:00.000,true,false\r\n"  # 4: ISO T with fractions, true/false
    "V4,P2,31/03/2024,y,n\r\n"  # 5: UK date, lower-case flags
    "V5,P2,31/03/2024 09:30,,\r\n"  # 6: UK date with time, flags blank
    "V6,P2, 2024-04-01 ,YES,NO\r\n"  # 7: spaces trimmed, YES/NO
    "V7,P2,2024-02-30,Y,N\r\n"  # 8: no such day
    "V8,P2,2024-04-01,maybe,N\r\n"  # 9: not a flag: loads, flag empty, counted
)
DEPARTMENT = (
    "dept_team_id,dept_team_name,dept_team_parent_id\n"
    "SA1,Service,\n"  # 2
    "T1,Team 1,SA1\n"  # 3
    "T2,Team 2,SAX\n"  # 4: orphan parent: loads, counted
    "T3,Team 3,T2\n"  # 5: resolves to T2, which loads
    "T4,Team 4,T3\n"  # 6
)
STAFF = (
    "staf_id,staf_professional_id,staf_team_id,staf_role,staf_employment,staf_start_date\n"
    "S1,PR1,T1,SOCIAL_WORKER, PERMANENT ,2020-01-01\n"  # 2: loads (codes trimmed)
    "S2,PR1,T9,IRO,AGENCY,2020-01-01\n"  # 3: no team T9: loads, counted
    "S3,PR1,T1,IRO,permanent,2020-01-01\n"  # 4: codes are exact: lower case is not in the list
    "S4,PR9,T1,IRO,AGENCY,2020-01-01\n"  # 5: no such professional: loads, counted
)
PROFESSIONALS = "prof_professional_id,prof_professional_name\nPR1,A Worker\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def load(tmp_path, files: dict[str, str]):
    drop = tmp_path / "landing" / "884" / "2025-03-31"
    for name, text in files.items():
        write(drop / f"{name}.csv", text)
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, tmp_path / "landing", "run1", **QUIET)
    return con, report


def test_dates_timestamps_flags_headers_and_missing_optional_columns(tmp_path):
    con, report = load(tmp_path, {"ssd_person": PERSON, "ssd_cin_visits": VISITS})
    rows = con.execute(
        "SELECT cinv_cin_visit_id, cinv_cin_visit_date, cinv_cin_visit_seen, cinv_cin_visit_seen_alone, "
        "cinv_cin_visit_bedroom, source_line FROM raw.ssd_cin_visits ORDER BY source_line"
    ).fetchall()
    visit = {
        v: pseudonym_of("cin_visit", "884", v)
        for v in ("V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8")
    }
    assert rows == [
        (visit["V1"], datetime(2024, 3, 31), True, False, None, 2),
        (visit["V2"], datetime(2024, 3, 31, 14, 5), True, False, None, 3),
        (visit["V3"], datetime(2024, 3, 31, 14, 5), True, False, None, 4),
        (visit["V4"], datetime(2024, 3, 31), True, False, None, 5),
        (visit["V5"], datetime(2024, 3, 31, 9, 30), None, None, None, 6),
        (visit["V6"], datetime(2024, 4, 1), True, False, None, 7),
        (visit["V8"], datetime(2024, 4, 1), None, False, None, 9),
    ]
    assert con.execute(
        "SELECT line, column_name, reason, value FROM raw_meta.quarantine ORDER BY line"
    ).fetchall() == [
        (8, "cinv_cin_visit_date", "not a valid datetime", "2024-02-30"),
    ]
    assert con.execute(
        "SELECT column_name, note, rows, example FROM raw_meta.value_notes"
    ).fetchall() == [
        ("cinv_cin_visit_seen", "not a recognised flag: flag left empty (not Y)", 1, "maybe")
    ]
    visits = next(r for r in report.loaded if r.file.table == "ssd_cin_visits")
    assert (visits.rows_read, visits.rows_loaded, visits.rows_quarantined) == (8, 7, 1)
    assert con.execute("SELECT pers_dob FROM raw.ssd_person ORDER BY 1").fetchall() == [
        (datetime(2015, 1, 2),),
        (datetime(2016, 2, 3),),
    ]


def test_references_load_whether_or_not_their_parent_does(tmp_path):
    con, report = load(
        tmp_path,
        {"ssd_department": DEPARTMENT, "ext_staff": STAFF, "ssd_professionals": PROFESSIONALS},
    )
    assert con.execute("SELECT dept_team_id FROM raw.ssd_department ORDER BY 1").fetchall() == [
        ("SA1",),
        ("T1",),
        ("T2",),
        ("T3",),
        ("T4",),
    ]
    staff = con.execute(
        "SELECT staf_id, staf_employment FROM raw.ext_staff ORDER BY source_line"
    ).fetchall()
    assert staff == [
        (pseudonym_of("staff", "884", s), e)
        for s, e in (("S1", "PERMANENT"), ("S2", "AGENCY"), ("S4", "AGENCY"))
    ]
    got = con.execute(
        "SELECT table_name, line, column_name, reason FROM raw_meta.quarantine ORDER BY 1, 2"
    ).fetchall()
    assert got == [
        (
            "ext_staff",
            4,
            "staf_employment",
            "code not in the contract list (PERMANENT, AGENCY, FIXED_TERM)",
        )
    ]
    assert con.execute(
        "SELECT table_name, column_name, rows_with_reference, rows_orphaned, example_lines FROM raw_meta.orphans ORDER BY 1, 2"
    ).fetchall() == [
        ("ext_staff", "staf_professional_id", 3, 1, "5"),
        ("ext_staff", "staf_team_id", 3, 1, "3"),
        ("ssd_department", "dept_team_parent_id", 4, 1, "4"),
    ]
    counts = {r.file.table: (r.rows_read, r.rows_loaded, r.rows_quarantined) for r in report.loaded}
    assert counts == {
        "ssd_department": (5, 5, 0),
        "ext_staff": (4, 3, 1),
        "ssd_professionals": (1, 1, 0),
    }


def test_malformed_rows_are_quarantined_at_their_physical_line(tmp_path):
    text = (
        "dept_team_id,dept_team_name,dept_team_parent_id\n"
        'SA1,"Service\nwith a line break",\n'  # 2-3: loads
        "T1,Team 1,SA1,surplus\n"  # 4: too many fields
        "T2,Team 2\n"  # 5: too few fields
        'T3,"Team ""3""",SA1\n'  # 6: escaped quotes, loads
        "\n"  # 7: blank line, not a record
        "T5,Team 5,SA1\n"  # 8: loads
    )
    con, report = load(tmp_path, {"ssd_department": text})
    assert con.execute(
        "SELECT dept_team_id, dept_team_name, source_line FROM raw.ssd_department ORDER BY 1"
    ).fetchall() == [
        ("SA1", "Service\nwith a line break", 2),
        ("T3", 'Team "3"', 6),
        ("T5", "Team 5", 8),
    ]
    got = con.execute(
        "SELECT line, reason LIKE 'malformed CSV row: %' FROM raw_meta.quarantine ORDER BY 1"
    ).fetchall()
    assert got == [(4, True), (5, True)]
    r = report.loaded[0]
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (5, 3, 2)


def test_windows_1252_with_bom_free_header_and_extra_columns(tmp_path):
    text = "DEPT_TEAM_ID,Dept_Team_Name,Local Note\nT1,Children\u2019s \u2013 Caf\u00e9,n1\n"
    drop = tmp_path / "landing" / "884" / "2025-03-31"
    write(drop / "ssd_department.csv", text, "cp1252")
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, tmp_path / "landing", "run1", **QUIET)
    assert report.loaded[0].encoding == "windows-1252"
    assert con.execute(
        "SELECT dept_team_name, dept_team_parent_id, _extras FROM raw.ssd_department"
    ).fetchall() == [("Children\u2019s \u2013 Caf\u00e9", None, '{"Local Note":"n1"}')]


def test_line_numbers_with_empty_lines_before_rejects_and_stray_quotes(tmp_path):
    text = (
        "dept_team_id,dept_team_name,dept_team_parent_id\r\n"
        "SA1,Service,\r\n"  # 2
        "\r\n"  # 3: empty
        'T1,"Two\r\n\r\nlines",SA1\r\n'  # 4-6: an empty line inside quotes is part of the value
        "\r\n"  # 7: empty
        "T2,Team 2\r\n"  # 8: too few fields
        "T3,Team 3,SA1\r\n"  # 9
        "\r\n"  # 10: empty, at the end
    )
    con, report = load(tmp_path, {"ssd_department": text})
    assert con.execute(
        "SELECT dept_team_id, source_line FROM raw.ssd_department ORDER BY 1"
    ).fetchall() == [("SA1", 2), ("T1", 4), ("T3", 9)]
    assert con.execute("SELECT line FROM raw_meta.quarantine").fetchall() == [(8,)]
    assert (report.loaded[0].rows_read, report.loaded[0].rows_loaded) == (4, 3)


def test_quote_characters_inside_unquoted_values_keep_line_numbers(tmp_path):
    text = (
        "dept_team_id,dept_team_name,dept_team_parent_id\n"
        "SA1,O\"Brien's service,\n"  # 2: a quote inside an unquoted value is text
        "T1,Team 1,SA1,surplus\n"  # 3: too many fields
        'T2,"Team\n2",SA1\n'  # 4-5
        "T3,Team 3,SA1\n"  # 6
    )
    con, _ = load(tmp_path, {"ssd_department": text})
    assert con.execute(
        "SELECT dept_team_id, dept_team_name, source_line FROM raw.ssd_department ORDER BY 1"
    ).fetchall() == [("SA1", "O\"Brien's service", 2), ("T2", "Team\n2", 4), ("T3", "Team 3", 6)]
    assert con.execute("SELECT line FROM raw_meta.quarantine").fetchall() == [(3,)]


def test_allocation_ids_keep_their_order_through_pseudonymisation(tmp_path):
    # Rule 36 breaks a tie between allocations starting the same day by the higher source id, so
    # raw keeps each id's rank among its authority's ids beside the pseudonym. Ranked by hand:
    # 884's ids are all whole numbers: numeric order 9 < 10 < 0011 (= 11) < 100, ranks 1-4 (text
    # order would put 0011, 10, 100 before 9). 801 has one id that is not a number (X1): text
    # order for all of its ids, '10' < '9' < 'X1', ranks 1-3.
    header = "invo_involvements_id,invo_person_id,invo_involvement_start_date\n"
    files = {"884": ["10", "9", "100", "0011"], "801": ["9", "X1", "10"]}
    for la, ids in files.items():
        write(
            tmp_path / "landing" / la / "2025-03-31" / "ssd_involvements.csv",
            header + "".join(f"{i},P1,2024-01-01\n" for i in ids),
        )
    con = connect(tmp_path / "w.duckdb")
    load_landing(con, tmp_path / "landing", "run1", **QUIET)
    got = {
        (la, key): rank
        for la, key, rank in con.execute(
            "SELECT la_code, invo_involvements_id, invo_involvements_id_rank FROM raw.ssd_involvements"
        ).fetchall()
    }
    assert got == {
        ("884", pseudonym_of("allocation", "884", "9")): 1,
        ("884", pseudonym_of("allocation", "884", "10")): 2,
        ("884", pseudonym_of("allocation", "884", "0011")): 3,
        ("884", pseudonym_of("allocation", "884", "100")): 4,
        ("801", pseudonym_of("allocation", "801", "10")): 1,
        ("801", pseudonym_of("allocation", "801", "9")): 2,
        ("801", pseudonym_of("allocation", "801", "X1")): 3,
    }
