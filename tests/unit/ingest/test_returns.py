"""Statutory returns in the landing area (SSDA903 CSV and XML, CIN census XML, CSWW XML):
recognition, the load log's format and year, hostile XML refused file by file, schema problems
quarantining their record only, unknown years loading with a warning.

Hand-written files; every expected value is worked out by hand from the text below. The tests on
the published fake returns in ../shared/samples count the records with plain Python (csv,
ElementTree) and are skipped only where that folder is absent.
"""

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from orchestration.lib.ingest.loader import XmlSettings, load_landing
from orchestration.lib.settings import REPO_ROOT
from tests.conftest import pseudonym_of

from .conftest import QUIET, connect

SAMPLES = REPO_ROOT.parent / "shared" / "samples"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="needs ../shared/samples (the published fake returns)"
)
CIN_XSDS = SAMPLES / "cin_census" / "liia-tools-pipeline"

HEADER_903 = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,01/02/2012,WBRI,A123,,\n102,2,03/04/2013,NULL,B456,,\n"
EPISODES_903 = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    "101,01/05/2023,S,C2,N1,U1,PR1,01/08/2023,X1,,AB1 2CD,EF3 4GH,SC1\n"
    "101,01/08/2023,P,C2,N1,U4,PR1,,,CARPL,AB1 2CD,EF3 4GH,SC2\n"
    "102,31/02/2023,S,V2,N2,U1,PR1,,,,,,\n"
)  # line 4: 31 February is no date

CIN_2024 = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2024</Year>
      <ReferenceDate>2024-03-31</ReferenceDate>
    </CollectionDetails>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <UPN>A123456789123</UPN>
        <PersonBirthDate>2015-03-27</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-10-06</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N4</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2023-10-07</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-11-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>1C</AssessmentFactors>
            <AssessmentFactors>6B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2023-11-01</CPPstartDate>
          <InitialCategoryOfAbuse>PHY</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2023-11-25</CPPreviewDate>
            <CPPreviewDate>2024-02-20</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""

CSWW_2022 = """<Message>
  <Header><CollectionDetails><Collection>CSWW</Collection><Year>2022</Year>
    <ReferenceDate>2022-09-30</ReferenceDate></CollectionDetails></Header>
  <LALevelVacancies><NumberOfVacancies>3.5</NumberOfVacancies><NoAgencyFTE>2</NoAgencyFTE>
    <NoAgencyHeadcount>2</NoAgencyHeadcount></LALevelVacancies>
  <CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1</SWENo><FTE>1</FTE><OrgRole>5</OrgRole></CSWWWorker>
  <CSWWWorker><AgencyWorker>1</AgencyWorker><SWENo>SW2</SWENo><FTE>0.5</FTE><OrgRole>5</OrgRole></CSWWWorker>
</Message>
"""


def drop(
    tmp_path: Path, files: dict[str, str], la_code: str = "884", day: str = "2024-06-30"
) -> Path:
    folder = tmp_path / "landing" / la_code / day
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "landing"


def load(tmp_path: Path, schemas: Path | None = None):
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(
        con, tmp_path / "landing", "run1", xml=XmlSettings(1 << 20, schemas), **QUIET
    )
    return con, report


def loaded(report) -> dict[str, tuple[int, int, int]]:
    return {r.file.table: (r.rows_read, r.rows_loaded, r.rows_quarantined) for r in report.loaded}


def test_903_tables_recognised_by_name_and_by_columns_with_format_and_year(tmp_path):
    # header by its file name with the year in it; episodes by its exact column set only
    drop(
        tmp_path,
        {
            "SSDA903_2023_header.csv": HEADER_903,
            "la_export_7.csv": EPISODES_903,
            "notes.txt": "not a return",
            "DoLo.csv": "CHILD,DOB,DOLO_START,DOLO_END\n101,01/02/2012,,\n",
        },
    )
    con, report = load(tmp_path)
    assert loaded(report) == {"ssda903_header": (2, 2, 0), "ssda903_episodes": (3, 2, 1)}
    log = con.execute(
        "SELECT table_name, format, return_year FROM raw_meta.load_log ORDER BY 1"
    ).fetchall()
    assert log == [
        # the episodes file has no year in its name: the drop of 30 June 2024 holds the 2023-24 return
        ("ssda903_episodes", "SSDA903 2024 CSV (column set; year from extract date)", 2024),
        ("ssda903_header", "SSDA903 2023 CSV (file name; year from file name)", 2023),
    ]
    ignored = sorted(p.rsplit("/", 1)[-1] for p in report.ignored_paths)
    assert [p.split(":")[0] for p in ignored] == ["DoLo.csv", "notes.txt"]
    assert all("not recognised" in p for p in ignored)
    # and kept for the data-quality report, per authority
    assert [
        r[:2]
        for r in con.execute(
            "SELECT la_code, path FROM raw_meta.landing_ignored ORDER BY path"
        ).fetchall()
    ] == [("884", "884/2024-06-30/DoLo.csv"), ("884", "884/2024-06-30/notes.txt")]
    # the child is the same pseudonym the SSD would give pers_person_id 101
    assert con.execute("SELECT child FROM raw.ssda903_header WHERE source_line = 2").fetchone() == (
        pseudonym_of("person", "884", "101"),
    )
    assert con.execute("SELECT line, column_name, reason FROM raw_meta.quarantine").fetchall() == [
        (4, "decom", "not a valid date")
    ]
    # the direct identifiers (UPN, home postcode) never reach raw
    assert "upn" not in {r[0] for r in con.execute("DESCRIBE raw.ssda903_header").fetchall()}
    assert "home_post" not in {
        r[0] for r in con.execute("DESCRIBE raw.ssda903_episodes").fetchall()
    }


def test_cin_census_xml_flattens_into_its_tables_with_xml_lines(tmp_path):
    drop(tmp_path, {"cin_census.xml": CIN_2024, "csww.xml": CSWW_2022})
    con, report = load(tmp_path)
    assert report.failed == []
    assert loaded(report) == {
        "cin_child": (1, 1, 0),
        "cin_disability": (0, 0, 0),
        "cin_details": (1, 1, 0),
        "cin_assessments": (1, 1, 0),
        "cin_plans": (0, 0, 0),
        "cin_section47": (0, 0, 0),
        "cin_cp_plans": (1, 1, 0),
        "cin_cp_reviews": (2, 2, 0),
        "csww_worker": (2, 2, 0),
        "csww_la_vacancies": (1, 1, 0),
    }
    c1 = pseudonym_of("person", "884", "C1")
    assert con.execute(
        "SELECT lachildid, assessment_actual_start_date::VARCHAR, assessment_authorisation_date::VARCHAR, "
        "assessment_factors, source_line FROM raw.cin_assessments"
    ).fetchall() == [
        (c1, "2023-10-07", "2023-11-20", "1C,6B", 25)
    ]  # <Assessments> opens on line 25
    assert con.execute(
        "SELECT cpp_start_date::VARCHAR, cpp_review_date::VARCHAR, source_line FROM raw.cin_cp_reviews "
        "ORDER BY 2"
    ).fetchall() == [("2023-11-01", "2023-11-25", 40), ("2023-11-01", "2024-02-20", 41)]
    formats = dict(
        con.execute("SELECT DISTINCT table_name, format FROM raw_meta.load_log").fetchall()
    )
    assert formats["cin_child"] == "CIN 2024 XML (XML root Message, CIN; year from ReferenceDate)"
    assert (
        formats["csww_worker"] == "CSWW 2022 XML (XML root Message, CSWW; year from ReferenceDate)"
    )
    assert con.execute(
        "SELECT sum(fte), count(*) FILTER (WHERE agency_worker = '1') FROM raw.csww_worker"
    ).fetchone() == (1.5, 1)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year></CollectionDetails></Header>
<Children><Child><ChildIdentifiers><LAchildID>&lol3;</LAchildID></ChildIdentifiers></Child></Children></Message>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>2022</Year></CollectionDetails></Header>
<CSWWWorker><SWENo>&xxe;</SWENo></CSWWWorker></Message>
"""


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("bomb.xml", BOMB, "declares a DTD or entities"),
        ("external.xml", EXTERNAL, "declares a DTD or entities"),
        (
            "truncated.xml",
            CIN_2024[: CIN_2024.index("<ChildProtectionPlans>")],
            "not well-formed XML (line 34",
        ),
    ],
)
def test_hostile_or_broken_xml_fails_its_file_and_the_rest_of_the_drop_loads(
    tmp_path, name, text, expected
):
    drop(tmp_path, {name: text, "header.csv": HEADER_903})
    con, report = load(tmp_path)
    assert loaded(report) == {"ssda903_header": (2, 2, 0)}
    assert report.failed and {r.file.path.name for r in report.failed} == {name}
    assert all(expected in r.message and "nothing loaded" in r.message for r in report.failed)
    failed = con.execute(
        "SELECT DISTINCT status, source_file FROM raw_meta.load_log WHERE status = 'failed'"
    ).fetchall()
    assert failed == [("failed", f"884/2024-06-30/{name}")]
    # nothing of the refused file reached raw: no CIN or CSWW table holds a row
    assert con.execute(
        "SELECT (SELECT count(*) FROM raw.cin_child) + (SELECT count(*) FROM raw.csww_worker)"
    ).fetchone() == (0,)
    assert "root:" not in str(con.execute("SELECT * FROM raw_meta.quarantine").fetchall())


def test_xml_over_the_size_bound_is_refused(tmp_path):
    drop(tmp_path, {"cin.xml": CIN_2024})
    con = connect(tmp_path / "w.duckdb")
    report = load_landing(con, tmp_path / "landing", "run1", xml=XmlSettings(100, None), **QUIET)
    assert report.loaded == [] and all("over the bound of 100" in r.message for r in report.failed)


@pytest.mark.skipif(not CIN_XSDS.is_dir(), reason="needs ../shared/samples (the CIN census XSDs)")
def test_schema_problems_quarantine_their_record_only(tmp_path):
    # 'ZZ' is not an assessment factor of the 2024 census... no XSD for 2024 here: use 2025's
    text = CIN_2024.replace("2024-03-31", "2025-03-31").replace(
        "<AssessmentFactors>6B", "<AssessmentFactors>ZZ"
    )
    drop(tmp_path, {"cin.xml": text})
    con, report = load(tmp_path, schemas=CIN_XSDS)
    got = loaded(report)
    assert got["cin_assessments"] == (1, 0, 1)  # the assessment holding ZZ
    assert got["cin_child"] == (1, 1, 0) and got["cin_cp_reviews"] == (
        2,
        2,
        0,
    )  # the rest of the child loads
    line, column, reason = con.execute(
        "SELECT line, column_name, reason FROM raw_meta.quarantine"
    ).fetchone()
    assert (line, column) == (25, "(schema)")
    assert reason.startswith(
        "XSD line 30: Element 'AssessmentFactors': [facet 'enumeration'] The value 'ZZ'"
    )
    notes = con.execute(
        "SELECT notes FROM raw_meta.load_log WHERE table_name = 'cin_child'"
    ).fetchone()[0]
    assert "validated against CIN_schema_2025.xsd: 1 schema problem(s)" in notes


def test_a_return_of_an_unknown_future_year_loads_what_it_can_and_warns(tmp_path):
    drop(tmp_path, {"cin.xml": CIN_2024.replace("2024-03-31", "2031-03-31")})
    con, report = load(tmp_path)
    assert loaded(report)["cin_child"] == (1, 1, 0)
    notes = con.execute(
        "SELECT notes FROM raw_meta.load_log WHERE table_name = 'cin_child'"
    ).fetchone()[0]
    assert "return year 2031 is newer than the mappings known for cin (2021-2026)" in notes


def _csv_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.DictReader(f))


@needs_samples
def test_the_published_fake_returns_load_every_record_or_say_why(tmp_path):
    s903 = SAMPLES / "ssda903" / "csc-validator-be-903"
    cin = SAMPLES / "cin_census" / "csc-validator-be-cin" / "fake_CIN_data.xml"
    files = {p.name: p.read_text(encoding="utf-8-sig") for p in s903.glob("*.csv")}
    files["fake_CIN_data.xml"] = cin.read_text(encoding="utf-8")
    drop(tmp_path, files)
    con, report = load(tmp_path)
    assert report.failed == []
    got = loaded(report)
    for table, name in [
        ("ssda903_header", "header.csv"),
        ("ssda903_episodes", "episodes.csv"),
        ("ssda903_reviews", "reviews.csv"),
        ("ssda903_missing", "missing.csv"),
        ("ssda903_oc3", "oc3.csv"),
        ("ssda903_ad1", "ad1.csv"),
        ("ssda903_uasc", "uasc.csv"),
    ]:
        read, ok, bad = got[table]
        assert read == _csv_rows(s903 / name) == ok + bad, table
    root = ET.parse(cin).getroot()
    assert got["cin_child"][0] == len(root.findall("Children/Child"))
    assert got["cin_details"][0] == len(root.findall("Children/Child/CINdetails"))
    assert got["cin_disability"][0] == len(
        root.findall("Children/Child/ChildCharacteristics/Disabilities/Disability")
    )
    # what did not load is in the quarantine with a reason, row for row
    quarantined = dict(
        con.execute(
            "SELECT table_name, count(DISTINCT line) FROM raw_meta.quarantine GROUP BY 1"
        ).fetchall()
    )
    assert quarantined == {t: bad for t, (_, _, bad) in got.items() if bad}
    # the two files the warehouse cannot use are reported, not dropped silently
    names = sorted(p.rsplit("/", 1)[-1].split(":")[0] for p in report.ignored_paths)
    assert names == ["DoLo.csv", "placed_for_adoption_errors.csv"]


@needs_samples
def test_the_903_as_xml_loads_into_the_same_tables(tmp_path):
    xml = SAMPLES / "ssda903" / "csc-validator-be-903" / "fake_903.xml"
    drop(tmp_path, {"fake_903.xml": xml.read_text(encoding="ascii")})
    con, report = load(tmp_path)
    assert report.failed == []
    root = ET.parse(xml).getroot()
    got = loaded(report)
    assert got["ssda903_header"][0] == len(root.findall("CHILD/HEADER"))
    assert got["ssda903_episodes"][0] == len(root.findall("CHILD/EPISODE"))
    assert got["ssda903_reviews"][0] == len(root.findall("CHILD/HEADER/AREVIEW"))
    assert got["ssda903_missing"][0] == len(root.findall("CHILD/HEADER/AMISSING"))
    # a care leaver's OC3 row only where IN_TOUCH holds something
    assert got["ssda903_oc3"][0] == sum(
        1 for h in root.findall("CHILD/HEADER") if (h.findtext("IN_TOUCH") or "").strip()
    )
    assert all(read == ok + bad for read, ok, bad in got.values())
    assert {
        f for (f,) in con.execute("SELECT DISTINCT format FROM raw_meta.load_log").fetchall()
    } == {"SSDA903 2024 XML (XML root EXPSSDA903; year from extract date)"}


def test_a_record_given_twice_in_a_census_is_quarantined_as_a_duplicate_key(tmp_path):
    block = CIN_2024[
        CIN_2024.index("        <Assessments>") : CIN_2024.index("        <ReferralNFA>")
    ]
    drop(tmp_path, {"cin.xml": CIN_2024.replace(block, block + block)})
    con, report = load(tmp_path)
    # the same child, referral and start date twice: both copies go, with the key named
    assert loaded(report)["cin_assessments"] == (2, 0, 2)
    reasons = con.execute(
        "SELECT DISTINCT reason FROM raw_meta.quarantine WHERE table_name = 'cin_assessments'"
    ).fetchall()
    assert reasons == [
        (
            "duplicate primary key lachildid+cin_referral_date+assessment_actual_start_date (2 rows share it)",
        )
    ]


def test_each_return_year_is_a_version_of_its_own(tmp_path):
    # Drop 1 (30 June 2024): the 2023 and 2024 header. 2023's has a bad DOB on line 3.
    header_2023 = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,01/02/2012,WBRI,,,\n102,2,99/99/2013,WBRI,,,\n"
    header_2024 = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,01/02/2012,WBRI,,,\n103,1,05/06/2014,WBRI,,,\n"
    drop(tmp_path, {"SSDA903_2023_header.csv": header_2023, "SSDA903_2024_header.csv": header_2024})
    con, report = load(tmp_path)
    versions = "SELECT return_year, source_file FROM raw_meta.current_versions ORDER BY 1"
    assert con.execute(versions).fetchall() == [
        (2023, "884/2024-06-30/SSDA903_2023_header.csv"),
        (2024, "884/2024-06-30/SSDA903_2024_header.csv"),
    ]
    rows = "SELECT return_year, count(*) FROM raw.ssda903_header GROUP BY 1 ORDER BY 1"
    assert con.execute(rows).fetchall() == [(2023, 1), (2024, 2)]  # 2023: 101 (102 quarantined)
    assert con.execute("SELECT source_file, line FROM raw_meta.quarantine").fetchall() == [
        ("884/2024-06-30/SSDA903_2023_header.csv", 3)
    ]
    # Drop 2 (31 July 2024): a corrected 2023 header only. 2023 is replaced (2 rows, its
    # quarantine gone with the old file); 2024 stays as drop 1 left it.
    later = tmp_path / "landing" / "884" / "2024-07-31"
    later.mkdir()
    (later / "SSDA903_2023_header.csv").write_text(
        header_2023.replace("99/99/2013", "01/01/2013"), encoding="utf-8"
    )
    load_landing(con, tmp_path / "landing", "run2", xml=XmlSettings(1 << 20, None), **QUIET)
    assert con.execute(versions).fetchall() == [
        (2023, "884/2024-07-31/SSDA903_2023_header.csv"),
        (2024, "884/2024-06-30/SSDA903_2024_header.csv"),
    ]
    assert con.execute(rows).fetchall() == [(2023, 2), (2024, 2)]
    assert con.execute("SELECT count(*) FROM raw_meta.quarantine").fetchone() == (0,)
    # the same table twice for one year in one drop: the second by name order is reported, not loaded
    twice = tmp_path / "landing" / "884" / "2024-08-31"
    twice.mkdir()
    (twice / "SSDA903_2024_header.csv").write_text(header_2024, encoding="utf-8")
    (twice / "header.csv").write_text(header_2024, encoding="utf-8")  # year 2024 from the drop date
    report = load_landing(
        con, tmp_path / "landing", "run3", xml=XmlSettings(1 << 20, None), **QUIET
    )
    assert [p.rsplit("/", 1)[-1] for p in report.ignored_paths] == [
        "header.csv: ssda903_header delivered twice in one drop; SSDA903_2024_header.csv is used"
    ]
