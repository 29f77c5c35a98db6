"""Annex A on the hand-made warehouse of conftest.py: every list's rows and derived columns,
worked out by hand below. Data date 2024-03-31 (dim_authority); default windows: lists 1-9 the
six months 2023-10-01..2024-03-31, lists 10-11 the twelve months 2023-04-01..2024-03-31.

Identities: c1..c4 are CMS-0001..CMS-0004 in the key map; worker w1 is named Ada Lovelace, w2
has no name delivered and is written by its id STAFF-23. At the data date c1 is allocated to w1
(Locality 1 Duty Team), c3 to w2 (Children in Care Team); c2 never was and c4's allocation ended
2024-01-01, so both are Unallocated.
"""

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import annex_a
from orchestration.lib.settings import REPO_ROOT

SAMPLES = REPO_ROOT.parent / "shared" / "samples" / "annex_a"
JAN_2024 = SAMPLES / "liia-tools-pipeline" / "Annex_A_2024_Jan.xlsx"
OLDER = SAMPLES / "liia-tools" / "Annex_A.xlsx"
SCHEMA = SAMPLES / "liia-tools-pipeline" / "Annex_A_schema.yml"


needs_samples = pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/samples is absent")


@pytest.fixture(autouse=True)
def annex_a_schema(monkeypatch):
    """The checker reads coded columns' categories from the published schema where it is configured
    (the repository keeps no copy of it): here the sample's, when ../shared/samples is there."""
    if SCHEMA.is_file():
        monkeypatch.setenv("CSCW_ANNEX_A_SCHEMA", str(SCHEMA))


D = date
TEAM1, ADA = "Locality 1 Duty Team", "Ada Lovelace"
C1 = ("CMS-0001", "b) Female", "a) WBRI", D(2015, 6, 10))  # born 2015-06-10
C2 = ("CMS-0002", "a) Male", "k) APKN", D(2010, 1, 20))  # born 2010-01-20
C3 = (
    "CMS-0003",
    "c) Not stated/recorded",
    "s) NOBT",
    D(2008, 11, 5),
)  # sex U, ethnicity not recorded
C4 = ("CMS-0004", "a) Male", "r) OOTH", D(2005, 2, 1))

# Coded columns carry the most detailed name variant of the published Annex A schema
# (../shared/samples/annex_a/liia-tools-pipeline/Annex_A_schema.yml) that carries the warehouse
# code, looked up by hand there: "x) CODE: label" (the January 2024 form), else "CODE: label",
# else a lettered bare code, else "CODE - label"; the category code where no variant carries it.
# 6 -> schema variant "q) 6: Police" of category "g) Police" (Contact/Referral Source)
POLICE = "q) 6: Police"
# N1 -> schema variant "N1 - Abuse or neglect" of category "a) Abuse or neglect" (Primary Need
# Code): no "x) N1: ..." or "N1: ..." variant (only "N1:Abuse or neglect", "N1 : Abuse or
# Neglect"); "N1 - Abuse or neglect" is the first "N1 - ..." listed
ABUSE_OR_NEGLECT = "N1 - Abuse or neglect"


def _value(v):
    return v.date() if isinstance(v, datetime) else v


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [
            tuple(_value(v) for v in row)
            for row in wb[sheet].iter_rows(min_row=2, values_only=True)
        ]
    finally:
        wb.close()


@pytest.fixture(scope="module")
def warehouse(annex_a_warehouse):
    con = duckdb.connect(str(annex_a_warehouse), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def workbook(warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("restricted")
    path, _ = annex_a.produce(warehouse, out, "884", None, None, None, False, "run-under-test")
    return path


def test_sheets_and_headings_are_the_january_2024_layout(workbook):
    from openpyxl import load_workbook

    wb = load_workbook(workbook, read_only=True)
    assert wb.sheetnames == ["Cover"] + [f"List {n}" for n in range(1, 12)]
    if JAN_2024.is_file():
        sample = load_workbook(JAN_2024, read_only=True)
        for n in range(1, 12):
            ours = next(wb[f"List {n}"].iter_rows(max_row=1, values_only=True))
            theirs = next(sample[f"List {n}"].iter_rows(max_row=1, values_only=True))
            assert ours == theirs, n


def test_the_produced_workbook_passes_the_checker(workbook):
    assert annex_a.check_workbook(workbook) == []


def test_list_1_contacts(workbook):
    # k1 (c1, 2024-02-01, police) is in the window; k2 (c2, 2023-06-01) before it; k9 is
    # authority 885's. Age at the contact: 2015-06-10 -> 2024-02-01 = 8. Source 6 -> POLICE ("q) 6: Police").
    assert sheet_rows(workbook, "List 1") == [(*C1, 8, D(2024, 2, 1), POLICE)]


def test_list_2_early_help(workbook):
    # e1 2023-11-01..2024-01-15 overlaps the window; e2 ended 2023-03-01. Age at start: 8.
    assert sheet_rows(workbook, "List 2") == [
        (*C1, 8, D(2023, 11, 1), D(2024, 1, 15), "Family Hub North")
    ]


def test_list_3_referrals_and_referrals_in_last_12_months(workbook):
    # Only r2 (2024-02-05) is in the window. Referrals in the 12 months before it
    # (2023-02-05..2024-02-05, itself excluded): r1 2023-05-01 yes, r0 2022-12-01 no -> 1.
    assert sheet_rows(workbook, "List 3") == [(*C1, 8, D(2024, 2, 5), POLICE, "No", 1, TEAM1, ADA)]


def test_list_4_assessments(workbook):
    # as1: started 2024-02-06, seen, authorised 2024-03-01 with an outcome other than NFA -> "Yes".
    assert sheet_rows(workbook, "List 4") == [
        (*C1, 8, "b) No", D(2024, 2, 6), "Yes", D(2024, 3, 1), "Yes", TEAM1, ADA)
    ]


def test_list_5_s47_and_icpc(workbook):
    # s1 started 2024-02-10, ICPC i1 2024-02-28 -> plan: ICPC not unnecessary. s0 (started
    # 2023-08-01, no ICPC) is outside the window but counts among the enquiries of the 12 months
    # before s1 (2023-02-10..2024-02-10) -> 1; ICPCs in those months other than s1's own -> 0.
    assert sheet_rows(workbook, "List 5") == [
        (*C1, 8, "b) No", D(2024, 2, 10), "No", D(2024, 2, 28), "Yes", 1, 0, TEAM1, ADA)
    ]


def test_list_6_children_in_need(workbook):
    # CIN episodes (referrals not NFA) open in the window: r3 (c3, from 2022-04-01, open) and r2
    # (c1, from 2024-02-05, open); r0 closed 2023-03-01 and r1 was NFA. Ordered by start.
    # Ages at the data date: c3 15, c1 8. Last seen: c3's looked-after visit 2024-03-10; c1's
    # latest visit with the child seen 2024-03-20 (2024-03-25: not seen). Case status at the data
    # date: c3 is looked after, c1 on a CP plan.
    assert sheet_rows(workbook, "List 6") == [
        (
            *C3,
            15,
            "b) No",
            D(2022, 4, 1),
            ABUSE_OR_NEGLECT,
            D(2024, 3, 10),
            None,
            None,
            "a) Looked after child",
            "Children in Care Team",
            "STAFF-23",
        ),
        (
            *C1,
            8,
            "b) No",
            D(2024, 2, 5),
            ABUSE_OR_NEGLECT,
            D(2024, 3, 20),
            None,
            None,
            "b) Child protection plan",
            TEAM1,
            ADA,
        ),
    ]


def test_list_7_child_protection(workbook):
    # p1 from 2024-02-28 (p0 ended 2020). Last statutory visit: CP visits with the child seen
    # from the plan start: 2024-03-05 (alone), 2024-03-20 (not alone); 2024-02-20 is before the
    # plan and 2024-03-25 was not seen -> 2024-03-20, seen alone "b) No". No review yet. L2
    # (emergency protection order) started 2024-02-20, within six months of the data date ->
    # "a) Yes". One earlier plan (p0) -> 1. Categories of abuse (schema "Initial/Latest Category
    # of Abuse") keep the category code: no variant labels the warehouse code (only the bare
    # "NEGLECT", "EMOTIONAL ABUSE"), so NEGLECT -> "a) Neglect" (names "Neglect", "NEGLECT"),
    # EMOTIONAL_ABUSE -> "d) Emotional Abuse" (names "Emotional abuse", "EMOTIONAL ABUSE").
    assert sheet_rows(workbook, "List 7") == [
        (
            *C1,
            8,
            "b) No",
            D(2024, 2, 28),
            "a) Neglect",
            "d) Emotional Abuse",
            D(2024, 3, 20),
            "b) No",
            None,
            None,
            "a) Yes",
            1,
            TEAM1,
            ADA,
        )
    ]


def test_list_8_looked_after(workbook):
    # Periods of care open in the window: pc3 (c2 from 2023-01-01) and pc2 (c3 from 2024-01-10);
    # pc1 (c3, 2022-05-01..2023-06-30) ended before it.
    # pc3: UASC not known (no 903 UASC table) -> blank; no earlier period -> "b) No"; legal status
    # E1 from 2023-11-01; placements overlapping 2023-03-31..2024-03-31: pl3 (ended 2024-02-01)
    # and pl4 -> 2; most recent pl4 U5/PR1 from 2024-02-01; no missing episodes -> 0, 0.
    # pc2: c3 is UASC (903 table, not ceased) -> "a) Yes"; pc1 ended 2023-06-30, within the 12
    # months before 2024-01-10 -> second period "a) Yes"; legal status C2 from 2024-02-15 (after
    # V2); review 2024-02-05; visit 2024-03-10; IRO contact 2024-03-01; placements pl1 and pl2 ->
    # 2, most recent K2/PR4 from 2024-02-15; missing since 2023-03-31: m1 (M, 2024-03-01, a return
    # interview recorded) and m2 (A) -> 1 missing, 1 absent, interview offered "Yes"; m3 (2022)
    # is outside.
    # Schema variants: N1 -> ABUSE_OR_NEGLECT. Legal status E1 -> schema variant "E1: Placement
    # order" of category "d) Placement order granted" (no lettered E1; three "E1: ..." variants,
    # the tool's hand choice is the January 2024 sample's), C2 -> "C2: FCO" of "b) Full care
    # orders" (the only "C2: ..." with a space). Placement type U5 -> schema variant "e) U5: Foster
    # placement - FFA" of category "a) Foster placement"; K2 -> "p) K2: Children’s Homes" of
    # "h) Children’s Homes" (the schema lists it with a curly and a straight apostrophe; the tool
    # takes the curly one, as the category code). Provider PR1 -> schema variant "b) PR1: Own
    # provision" of category "a) Own LA"; PR4 -> "e) PR4: Private provision" of "b) Private".
    blank4 = (None, None, None, None)
    assert sheet_rows(workbook, "List 8") == [
        (
            *C2,
            14,
            None,
            "a) Yes",
            D(2023, 1, 1),
            ABUSE_OR_NEGLECT,
            "b) No",
            D(2023, 11, 1),
            "E1: Placement order",
            None,
            None,
            None,
            None,
            None,
            None,
            2,
            None,
            None,
            D(2024, 2, 1),
            "e) U5: Foster placement - FFA",
            "b) PR1: Own provision",
            *blank4,
            0,
            0,
            None,
            None,
            "Unallocated",
            "Unallocated",
        ),
        (
            *C3,
            15,
            "a) Yes",
            "b) No",
            D(2024, 1, 10),
            ABUSE_OR_NEGLECT,
            "a) Yes",
            D(2024, 2, 15),
            "C2: FCO",
            D(2024, 2, 5),
            D(2024, 3, 10),
            None,
            D(2024, 3, 1),
            None,
            None,
            2,
            None,
            None,
            D(2024, 2, 15),
            "p) K2: Children\u2019s Homes",
            "e) PR4: Private provision",
            *blank4,
            1,
            1,
            "Yes",
            None,
            "Children in Care Team",
            "STAFF-23",
        ),
    ]


def test_list_9_care_leavers(workbook):
    # cl1 counted from 2023-02-01, still counted. Age 19 at the data date (born 2005-02-01).
    # Not UASC (903 table delivered, not listed) -> "b) No"; personal adviser pa1, recorded as
    # Grace Hopper. Eligibility "Former relevant" -> category code "b) Former relevant" (free
    # text, no DfE code to carry: the group code stays). In touch YES -> schema variant "a) Yes"
    # of category "a) In touch" (lettered bare code; no "YES: ..." variant). Accommodation U1
    # (independent living, suitable) -> category code "k) Independent living": no variant carries
    # U1 ("U", "U: Independent living" carry the letter; suitability has its own column:
    # "a) Suitable"). Activity F2 -> "F2: Full time in education other than higher" (the
    # category's code is itself "CODE: label").
    assert sheet_rows(workbook, "List 9") == [
        (
            *C4,
            19,
            "b) No",
            "b) No",
            "Unallocated",
            "Unallocated",
            "Grace Hopper",
            "b) Former relevant",
            D(2024, 1, 10),
            "a) Yes",
            D(2024, 3, 15),
            "k) Independent living",
            "a) Suitable",
            "F2: Full time in education other than higher",
        )
    ]


def test_list_10_adoption(workbook):
    # ad1: decision 2023-09-01 (in the 12-month window), care from 2023-01-01 (pc3), placement
    # order = E1 from 2023-11-01, matched 2024-01-05, placed 2024-02-01, no adoption order yet,
    # fostering for adoption = pl4 (U5) from 2024-02-01.
    assert sheet_rows(workbook, "List 10") == [
        (
            C2[0],
            None,
            *C2[1:],
            14,
            "a) Yes",
            D(2023, 1, 1),
            D(2023, 9, 1),
            D(2023, 11, 1),
            D(2024, 1, 5),
            D(2024, 2, 1),
            None,
            None,
            None,
            D(2024, 2, 1),
        )
    ]


def test_list_11_is_empty_and_the_cover_says_why(workbook):
    assert sheet_rows(workbook, "List 11") == []
    cover = sheet_rows(workbook, "Cover")
    by_label = {row[0]: row for row in cover if row and row[0]}
    assert by_label["Data date (latest extract in the warehouse)"][1] == D(2024, 3, 31)
    assert by_label["Run id"][1] == "run-under-test"
    assert by_label["List 1"][2:5] == (D(2023, 10, 1), D(2024, 3, 31), 1)
    assert by_label["List 10"][2:5] == (D(2023, 4, 1), D(2024, 3, 31), 1)
    assert by_label["List 11"][4] == 0 and "no table of adopters" in by_label["List 11"][5]


def test_window_option_widens_every_list(warehouse, tmp_path):
    # --from 2023-01-01: k2 (2023-06-01) joins List 1, e2 (ended 2023-03-01) List 2, r1 (2023-05-01)
    # List 3, s0 (2023-08-01) List 5 with ICPC unnecessary (ended without one) and no enquiry in
    # the 12 months before it.
    path, results = annex_a.produce(
        warehouse, tmp_path, "884", D(2023, 1, 1), D(2024, 3, 31), None, False, "r"
    )
    assert {r.number: r.rows for r in results} == {
        1: 2,
        2: 2,
        3: 2,
        4: 1,
        5: 2,
        6: 3,
        7: 1,
        8: 3,
        9: 1,
        10: 1,
        11: 0,
    }
    assert sheet_rows(path, "List 5")[0] == (
        *C1,
        8,
        "b) No",
        D(2023, 8, 1),
        "Yes",
        None,
        None,
        0,
        0,
        TEAM1,
        ADA,
    )


def test_pseudonymised_copy_has_no_identity(warehouse, tmp_path):
    path, _ = annex_a.produce(
        warehouse, tmp_path, "884", None, None, str(tmp_path / "p.xlsx"), True, "r"
    )
    # The pseudonym, the month of birth, the worker's key.
    assert sheet_rows(path, "List 3") == [
        (
            "c1",
            "b) Female",
            "a) WBRI",
            D(2015, 6, 1),
            8,
            D(2024, 2, 5),
            POLICE,
            "No",
            1,
            TEAM1,
            "w1",
        )
    ]
    assert annex_a.check_workbook(path) == []


def test_identified_workbook_only_in_the_restricted_folder(warehouse, tmp_path):
    with pytest.raises(ValueError, match="outside the restricted folder"):
        annex_a.produce(
            warehouse,
            tmp_path / "restricted",
            "884",
            None,
            None,
            str(tmp_path / "elsewhere.xlsx"),
            False,
            "r",
        )


# Coded values of the published samples that are not in the schema's lists, found by reading the
# sheets and looking each value up in Annex_A_schema.yml (code or name variant, ignoring case):
# - List 4 "Was the child assessed ...": every row (2-6) holds "CS Assessment Updated"; the
#   category's names are Yes/No variants only.
# - List 6 "Primary Need Code" row 2: "PSRMEM - Support with memory and cognition" (rows 3-6 hold
#   "N1 - Abuse or Neglect", a name of "a) Abuse or neglect").
# - List 8 "Placement Provider": the sample writes "x) PRn - ..." with a dash; the schema lists
#   "b) PR1: Own provision" (colon) and "PR1 - Own provision" (no letter), not this mix: PR4 rows
#   2, 5, 6; PR1 row 3; PR5 row 4.
# - List 8 "LA of Placement": "Home Town" (rows 2, 3, 5, 6), "Other Town 1" (row 4): not authorities.
# Every other coded value is listed (e.g. "q) 6: Police", "C2: FCO", "f) U6: Foster placement -
# not FFA", "k) E47: ...", "U: Independent living", "b) Former relevant child", "RD2").
SAMPLE_VALUE_FINDINGS = [
    (
        'List 4 row 2: "Was the child assessed as requiring LA children\'s social care support?" holds '
        "'CS Assessment Updated', not in Annex A's list (child_assessed_being_in_need)"
    ),
    "List 4: 4 more like the above with that value",
    (
        "List 6 row 2: 'Primary Need Code' holds 'PSRMEM - Support with memory and cognition', not in Annex A's list "
        "(primary_need)"
    ),
    "List 8 row 3: 'Placement Provider' holds 'b) PR1 - Own provision', not in Annex A's list (cla_provider_types)",
    "List 8 row 2: 'Placement Provider' holds 'e) PR4 - Private provision', not in Annex A's list (cla_provider_types)",
    "List 8: 2 more like the above with that value",
    (
        "List 8 row 4: 'Placement Provider' holds 'f) PR5 - Voluntary/third sector', not in Annex A's list "
        "(cla_provider_types)"
    ),
    "List 8 row 2: 'LA of Placement' holds 'Home Town', not in Annex A's list (cla_placement_la)",
    "List 8: 3 more like the above with that value",
    "List 8 row 4: 'LA of Placement' holds 'Other Town 1', not in Annex A's list (cla_placement_la)",
]


@needs_samples
def test_checker_names_what_differs_in_the_january_2024_sample():
    findings = annex_a.check_workbook(JAN_2024)
    # The sample's one blank ethnicity, dates written as formulas (=H2+5) in Lists 10 and 11, and
    # the coded values not in the schema's lists (SAMPLE_VALUE_FINDINGS), each sheet's in column order.
    assert [
        f for f in findings if "not in Annex A's list" in f or "with that value" in f
    ] == SAMPLE_VALUE_FINDINGS
    assert findings[:3] == SAMPLE_VALUE_FINDINGS[:3]
    assert findings[3] == "List 8 row 4: 'Ethnicity' is blank but required"
    assert findings[4:11] == SAMPLE_VALUE_FINDINGS[3:]
    assert findings[11] == (
        "List 10 row 2: 'Date of Decision that Child Should be Placed for Adoption' should be "
        "of type date, holds a formula '=H2+5'"
    )
    assert (
        findings[-1]
        == "List 11 row 5: 'Reason for leaving adoption process' should be of type code, holds int 1"
    )
    assert not any(
        f.startswith(tuple(f"List {n} " for n in (1, 2, 3, 5, 7))) or ": column" in f
        for f in findings
    )
    # 1 (ethnicity) + List 10: 4 formula columns x (first row + "4 more") + 1 single =M4+5
    # + List 11: 9 formula columns x 2 + =Q5+3 + the int reason = 30, + 10 coded values = 40.
    assert len(findings) == 40


@needs_samples
def test_checker_names_the_older_layouts_list_9():
    findings = annex_a.check_workbook(OLDER)
    # The older List 9 lacks the UASC, personal adviser, pathway plan and contact date columns.
    assert (
        "List 9: column 6 should be 'Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or "
        "over (Y/N)', is 'Does the Child have a Disability'"
    ) in findings
    assert "List 9: column 17 should be 'Activity Status', is missing" in findings
    # 'Date of Adoption Order ' (trailing space) is accepted as the heading.
    assert not any("column 13 should be 'Date of Adoption Order'" in f for f in findings)
    # Lists 1-8 hold the same rows as the January 2024 sample: the same coded values are named.
    assert [
        f for f in findings if "not in Annex A's list" in f or "with that value" in f
    ] == SAMPLE_VALUE_FINDINGS


@needs_samples
def test_checker_accepts_a_code_or_name_variant_and_names_a_value_not_in_the_list(
    workbook, tmp_path
):
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    ws = wb["List 8"]
    headings = [c.value for c in ws[1]]
    legal, placement = (
        headings.index("Child's Legal Status") + 1,
        headings.index("Placement Type") + 1,
    )
    ws.cell(
        2, legal, "  c2: fco "
    )  # a name variant ("C2: FCO"), other case, spaces around: accepted
    ws.cell(
        2, placement, "f) U6: Foster placement - not FFA"
    )  # the template's value, a name variant
    ws.cell(
        3, legal, "V3"
    )  # short breaks: only in the schema's error bucket, so not an Annex A value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    assert annex_a.check_workbook(path) == [
        "List 8 row 3: \"Child's Legal Status\" holds 'V3', not in Annex A's list (cla_legal_status)"
    ]


def test_cli_check_exit_codes(workbook, capsys):
    from orchestration.cli import main

    assert main(["annex-a", "--check", str(workbook)]) == 0
    if OLDER.is_file():
        assert main(["annex-a", "--check", str(OLDER)]) == 1
        out = capsys.readouterr().out
        assert "54 finding(s)" in out  # 44 of layout and type + the 10 coded values
        assert "not checked against Annex A's categories" not in out


@needs_samples
def test_without_the_schema_coded_values_are_not_checked_and_the_cli_says_so(monkeypatch, capsys):
    from orchestration.cli import main

    monkeypatch.delenv("CSCW_ANNEX_A_SCHEMA")
    assert annex_a.load_categories() is None
    assert main(["annex-a", "--check", str(OLDER)]) == 1
    out = capsys.readouterr().out
    # the same 54 findings less the 10 coded values (SAMPLE_VALUE_FINDINGS), and a note saying why
    assert "44 finding(s)" in out and "not in Annex A's list" not in out
    assert (
        "note: coded values were not checked against Annex A's categories: set CSCW_ANNEX_A_SCHEMA"
        in out
    )


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui",
)
def test_libreoffice_converts_every_sheet_with_the_rows_written(workbook, tmp_path):
    # Filter options: comma, double quotes, UTF-8 (76), from line 1, ..., cells as shown (dates as
    # dd/mm/yyyy), every sheet to its own file (-1).
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp_path),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for n in range(1, 12):
        with (tmp_path / f"{workbook.stem}-List {n}.csv").open(newline="", encoding="utf-8") as f:
            converted = list(csv.reader(f))
        written = [[_as_shown(v) for v in row] for row in sheet_rows(workbook, f"List {n}")]
        assert converted[1:] == written, n
        assert converted[0] == [c.heading for c in annex_a.load_layout()[n]]


def _as_shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def test_dagster_asset_writes_the_workbook_to_the_restricted_folder(
    annex_a_warehouse, tmp_path, monkeypatch
):
    import dagster as dg
    from dagster_duckdb import DuckDBResource

    from orchestration.defs.restricted_outputs.annex_a_asset import annex_a_workbook

    copy = (
        tmp_path / "warehouse.duckdb"
    )  # its own file: the module's read-only connection stays open
    shutil.copyfile(annex_a_warehouse, copy)
    monkeypatch.setenv("CSCW_RESTRICTED_DIR", str(tmp_path / "restricted"))
    result = dg.materialize(
        [annex_a_workbook],
        resources={"duckdb": DuckDBResource(database=str(copy))},
        run_config={
            "ops": {"restricted_outputs__annex_a_workbook": {"config": {"la_code": "884"}}}
        },
    )
    assert result.success
    written = tmp_path / "restricted" / "annex_a_884_2024-03-31.xlsx"
    assert sheet_rows(written, "List 1") == [(*C1, 8, D(2024, 2, 1), POLICE)]
    metadata = result.asset_materializations_for_node("restricted_outputs__annex_a_workbook")[
        0
    ].metadata
    assert metadata["list_8_rows"].value == 2 and "List 11" in metadata["not_filled"].value
