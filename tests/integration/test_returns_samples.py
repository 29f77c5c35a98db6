"""The published fake returns (../shared/samples) through `cscw run`, as a council would drop them.

951 sends the SSDA903 tables of csc-validator-be-903 (the 2017-18 return, episodes from January
2015 to April 2018) in a drop of 30 June 2018; 952 sends the CIN census fake_CIN_data.xml (332
children, CIN details only) in a drop of 31 July 2022. Every record is loaded or quarantined
with a reason, and the scorecard's looked-after and CIN measures equal counts made here with
plain Python from the files (csv, ElementTree), by the catalogue's definitions:
- cla_open at d: distinct CHILD with an episode DECOM <= d and (DEC empty or DEC > d);
- cin_open at d: distinct LAchildID with a CINdetails CINreferralDate <= d and (CINclosureDate
  empty or > d).
- adoption decisions: distinct (CHILD, decision date) over placed_for_adoption (DATE_PLACED) and
  AD1 (DATE_INT): a child in both with the same date is one decision;
- UASC: distinct CHILD of uasc.csv held in header.csv are the children with was_uasc true.
Skipped only where ../shared/samples is absent.
"""

import csv
import xml.etree.ElementTree as ET
from datetime import date, datetime

import duckdb
import pytest

from orchestration.lib.settings import REPO_ROOT
from tests.integration.kpi.conftest import run_landing

SAMPLES = REPO_ROOT.parent / "shared" / "samples"
S903 = SAMPLES / "ssda903" / "csc-validator-be-903"
CIN = SAMPLES / "cin_census" / "csc-validator-be-cin" / "fake_CIN_data.xml"
TABLES_903 = (
    "header",
    "episodes",
    "reviews",
    "missing",
    "oc3",
    "ad1",
    "placed_for_adoption",
    "uasc",
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SAMPLES.is_dir(), reason="needs ../shared/samples (the published fake returns)"
    ),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    landing = tmp_path_factory.mktemp("samples")
    d903 = landing / "951" / "2018-06-30"
    dcin = landing / "952" / "2022-07-31"
    d903.mkdir(parents=True)
    dcin.mkdir(parents=True)
    for name in TABLES_903:
        (d903 / f"{name}.csv").write_bytes((S903 / f"{name}.csv").read_bytes())
    (dcin / CIN.name).write_bytes(CIN.read_bytes())
    return run_landing(landing, tmp_path_factory.mktemp("work"))


def _uk(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def cla_open_on(d: date) -> int:
    with open(S903 / "episodes.csv", newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return len(
        {
            r["CHILD"]
            for r in rows
            if _uk(r["DECOM"])
            and _uk(r["DECOM"]) <= d
            and (not r["DEC"].strip() or (_uk(r["DEC"]) and _uk(r["DEC"]) > d))
        }
    )


def cin_open_on(d: date) -> int:
    children = set()
    for child in ET.parse(CIN).getroot().iter("Child"):
        for details in child.findall("CINdetails"):
            start = date.fromisoformat(details.findtext("CINreferralDate").strip())
            closed = (details.findtext("CINclosureDate") or "").strip()
            if start <= d and (not closed or date.fromisoformat(closed) > d):
                children.add(child.findtext("ChildIdentifiers/LAchildID"))
    return len(children)


def scorecard(published, la: str, kpi_id: str, period: str):
    rows = published.query(
        """SELECT value, is_available FROM kpi_scorecard WHERE la_code = ? AND kpi_id = ?
           AND period_type = 'month' AND period_label = ? AND breakdown = 'la'""",
        (la, kpi_id, period),
    )
    assert len(rows) == 1, (la, kpi_id, period, rows)
    return rows[0]


def test_both_authorities_publish(published):
    assert published.exit_code == 0
    assert {r[0] for r in published.query("SELECT DISTINCT la_code FROM kpi_scorecard")} >= {
        "951",
        "952",
    }


def test_every_record_is_loaded_or_quarantined_with_a_reason(published):
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        log = con.execute("""SELECT la_code, table_name, rows_read, rows_loaded, rows_quarantined FROM raw_meta.load_log
                             WHERE status = 'loaded'""").fetchall()
        quarantined = {
            (la, t): n
            for la, t, n in con.execute(
                "SELECT la_code, table_name, count(DISTINCT line) FROM raw_meta.quarantine GROUP BY ALL"
            ).fetchall()
        }
        unexplained = con.execute(
            "SELECT count(*) FROM raw_meta.quarantine WHERE nullif(reason, '') IS NULL"
        ).fetchone()[0]
    finally:
        con.close()
    for la, table, read, ok, bad in log:
        assert read == ok + bad and quarantined.get((la, table), 0) == bad, (la, table)
    by_table = {t: read for la, t, read, _, _ in log}
    for name in TABLES_903:
        with open(S903 / f"{name}.csv", newline="", encoding="utf-8-sig") as f:
            assert by_table[f"ssda903_{name}"] == sum(1 for _ in csv.DictReader(f)), name
    assert by_table["cin_details"] == len(
        ET.parse(CIN).getroot().findall("Children/Child/CINdetails")
    )
    assert unexplained == 0


@pytest.mark.parametrize(
    "period, d",
    [
        ("Mar 2016", date(2016, 3, 31)),
        ("Mar 2017", date(2017, 3, 31)),
        ("Dec 2017", date(2017, 12, 31)),
    ],
)
def test_looked_after_children_from_the_903(published, period, d):
    value, available = scorecard(published, "951", "cla_open", period)
    assert available and value == cla_open_on(d)


@pytest.mark.parametrize(
    "period, d",
    [
        ("Mar 2020", date(2020, 3, 31)),
        ("Mar 2021", date(2021, 3, 31)),
        ("Jun 2022", date(2022, 6, 30)),
    ],
)
def test_children_in_need_from_the_census(published, period, d):
    value, available = scorecard(published, "952", "cin_open", period)
    assert available and value == cin_open_on(d)


def test_what_a_return_cannot_feed_is_not_available(published):
    # the 903 holds no visits; the CIN census no looked-after episodes
    assert scorecard(published, "951", "cla_visits_timely", "Mar 2017")[1] is False
    assert scorecard(published, "952", "cla_open", "Mar 2021")[1] is False


def _rows_903(name: str) -> list[dict]:
    with open(S903 / f"{name}.csv", newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_adoption_decisions_and_uasc_from_the_903(published):
    decisions = {(r["CHILD"], _uk(r["DATE_PLACED"])) for r in _rows_903("placed_for_adoption")} | {
        (r["CHILD"], _uk(r["DATE_INT"])) for r in _rows_903("ad1")
    }
    header = {r["CHILD"] for r in _rows_903("header")}
    uasc = {r["CHILD"] for r in _rows_903("uasc")} & header
    con = duckdb.connect(str(published.warehouse), read_only=True)
    try:
        adoption = con.execute("""SELECT count(*), count(DISTINCT adoption_key), count(matched_date),
                                         list(DISTINCT source_format) FROM conformed.fct_adoption WHERE la_code = '951'""").fetchall()
        was_uasc = con.execute("""SELECT count(*) FILTER (WHERE was_uasc), count(*) FILTER (WHERE NOT was_uasc),
                                         count(*) FILTER (WHERE was_uasc IS NULL)
                                  FROM conformed.dim_child WHERE la_code = '951'""").fetchall()
        children = con.execute(
            "SELECT count(*) FROM conformed.dim_child WHERE la_code = '951'"
        ).fetchall()[0][0]
    finally:
        con.close()
    matched = {(r["CHILD"], _uk(r["DATE_INT"])) for r in _rows_903("ad1") if _uk(r["DATE_MATCH"])}
    assert adoption == [(len(decisions), len(decisions), len(matched), ["ssda903"])]
    assert was_uasc == [(len(uasc), children - len(uasc), 0)]
