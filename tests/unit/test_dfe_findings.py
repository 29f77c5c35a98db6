"""DfE validator findings: the runner's NDJSON read into quality.dfe_findings with children
pseudonymised, the runs table, and the report's section; no validator is run here (that is
tests/integration/test_dfe_validators.py).

Hand-made NDJSON of authority 941, SSDA903 2024 (files 941/2024-05-01/header.csv, episodes.csv):

 rule  table     file          line  child        expected
 385   Episodes  episodes.csv  2     "ab101"      pseudonym of person|941|ab101
 385   Episodes  episodes.csv  3     " ab101 "    the same pseudonym (trimmed, as ingestion does)
 101   Header    header.csv    2     "cd202"      pseudonym of person|941|cd202
 100   Header    (none)        -     null         no child

So rule 385: 2 findings, 1 child, lines episodes.csv:2, episodes.csv:3; rule 101: 1 finding, 1 child;
rule 100: 1 finding, 0 children.
"""

import json
from types import SimpleNamespace

import duckdb
import pytest

from orchestration.lib.dfe import findings as dfe
from tests.conftest import pseudonym_of

KEY = "test-key"
ITEM = {
    "la_code": "941",
    "collection": "ssda903",
    "return_year": 2024,
    "files": ["941/2024-05-01/episodes.csv", "941/2024-05-01/header.csv"],
}
NDJSON = [
    {
        "rule_code": "385",
        "message": "Date episode ceased must be on or before the end of the current collection year.",
        "table_name": "Episodes",
        "column_name": "DEC",
        "file": "episodes.csv",
        "child_id": "ab101",
        "row_id": 0,
        "line": 2,
    },
    {
        "rule_code": "385",
        "message": "Date episode ceased must be on or before the end of the current collection year.",
        "table_name": "Episodes",
        "column_name": "DEC",
        "file": "episodes.csv",
        "child_id": " ab101 ",
        "row_id": 1,
        "line": 3,
    },
    {
        "rule_code": "101",
        "message": "Gender code is not valid.",
        "table_name": "Header",
        "column_name": "SEX",
        "file": "header.csv",
        "child_id": "cd202",
        "row_id": 0,
        "line": 2,
    },
    {
        "rule_code": "100",
        "message": "Reference Date is incorrect",
        "table_name": "Header",
        "column_name": None,
        "file": None,
        "child_id": None,
        "row_id": None,
        "line": None,
    },
]


@pytest.fixture
def con():
    c = duckdb.connect()
    dfe.ensure_tables(c)
    yield c
    c.close()


@pytest.fixture
def ndjson(tmp_path):
    path = tmp_path / "findings.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in NDJSON), encoding="utf-8")
    return path


def _current_versions(con):
    con.execute("CREATE SCHEMA raw_meta")
    con.execute("""CREATE TABLE raw_meta.current_versions (la_code VARCHAR, table_name VARCHAR, extract_date DATE,
                   source_file VARCHAR, file_sha256 VARCHAR, rows_loaded BIGINT, run_id VARCHAR, collection VARCHAR,
                   return_year INTEGER)""")
    con.execute("""INSERT INTO raw_meta.current_versions VALUES
        ('941', 'ssda903_header',   '2024-05-01', '941/2024-05-01/header.csv',   'h', 1, 'r0', 'ssda903', 2024),
        ('941', 'ssda903_episodes', '2024-05-01', '941/2024-05-01/episodes.csv', 'e', 2, 'r0', 'ssda903', 2024),
        ('941', 'cin_child',        '2024-05-01', '941/2024-05-01/cin.xml',      'c', 1, 'r0', 'cin', 2024),
        ('941', 'cin_details',      '2024-05-01', '941/2024-05-01/cin.xml',      'c', 1, 'r0', 'cin', 2024),
        ('943', 'ssd_person',       '2024-05-01', '943/2024-05-01/ssd_person.csv', 'p', 9, 'r0', 'extract', NULL)""")


def test_findings_are_read_with_children_pseudonymised_as_ingestion_does(con, ndjson):
    assert dfe.load_findings(con, "r1", ITEM, ndjson, KEY) == 4
    rows = con.execute("""SELECT rule_code, table_name, source_file, child_key, row_id, line FROM quality.dfe_findings
                          WHERE run_id = 'r1' ORDER BY rule_code, line""").fetchall()
    ab, cd = pseudonym_of("person", "941", "ab101"), pseudonym_of("person", "941", "cd202")
    assert rows == [
        ("100", "Header", None, None, None, None),
        ("101", "Header", "941/2024-05-01/header.csv", cd, 0, 2),
        ("385", "Episodes", "941/2024-05-01/episodes.csv", ab, 0, 2),
        ("385", "Episodes", "941/2024-05-01/episodes.csv", ab, 1, 3),
    ]
    # no identifier in clear anywhere in the table
    text = con.execute(
        "SELECT string_agg(CAST(f AS VARCHAR), '|') FROM quality.dfe_findings f"
    ).fetchall()[0][0]
    assert "ab101" not in text and "cd202" not in text


def test_an_empty_ndjson_loads_no_rows(con, tmp_path):
    empty = tmp_path / "none.ndjson"
    empty.write_text("", encoding="utf-8")
    assert dfe.load_findings(con, "r1", ITEM, empty, KEY) == 0


def test_plan_has_one_run_per_authority_return_and_year_with_its_files(con):
    _current_versions(con)
    assert dfe.plan(con) == [
        {
            "la_code": "941",
            "collection": "cin",
            "return_year": 2024,
            "files": ["941/2024-05-01/cin.xml"],
        },
        {
            "la_code": "941",
            "collection": "ssda903",
            "return_year": 2024,
            "files": ["941/2024-05-01/episodes.csv", "941/2024-05-01/header.csv"],
        },
    ]


def test_the_excluded_903_rules_are_the_ones_needing_inputs_the_warehouse_lacks():
    assert dfe.excluded_rules("ssda903") == [
        "169",
        "179",
        "218",
        "229",
        "230",
        "241",
        "243",
        "387",
        "411",
        "420",
        "452",
        "503H",
        "503J",
        "1015",
    ]
    assert dfe.excluded_rules("cin") == []


def test_report_section_counts_findings_by_rule_without_identifiers(con, ndjson):
    dfe.load_findings(con, "r1", ITEM, ndjson, KEY)
    dfe.record_run(
        con,
        "r1",
        ITEM,
        "ok",
        ruleset="lac2023_24",
        rules_run=111,
        rules_skipped=199,
        rules_failed=[],
        findings=4,
        seconds=0.8,
    )
    html = dfe.dfe_section(con, "r1", "941")
    assert "DfE validator findings" in html
    # rule 385: 2 findings, 1 child, its two lines; rule 101: 1 and 1; rule 100: 1 finding, no child
    assert (
        "<td>385</td><td>Date episode ceased must be on or before the end of the current collection year.</td>"
        "<td>Episodes</td><td class='n'>2</td><td class='n'>1</td><td>episodes.csv:2, episodes.csv:3</td>"
    ) in html
    assert (
        "<td>101</td><td>Gender code is not valid.</td><td>Header</td><td class='n'>1</td><td class='n'>1</td>"
        in html
    )
    assert (
        "<td>100</td><td>Reference Date is incorrect</td><td>Header</td><td class='n'>1</td><td class='n'>0</td>"
        in html
    )
    assert "<td>lac2023_24</td><td>ok</td><td class='n'>111</td><td class='n'>199</td>" in html
    assert "<td>0.8</td>" in html  # seconds, not a percentage
    assert "ab101" not in html and "cd202" not in html
    assert dfe.dfe_section(con, "r1", "942").count("no record of the validators") == 1


def test_when_off_every_return_is_recorded_as_not_run_and_the_section_says_why(con, tmp_path):
    _current_versions(con)

    class Connect:
        def __enter__(self):
            return con

        def __exit__(self, *exc):
            return False

    settings = SimpleNamespace(dfe_validators=False)
    assert dfe.run_validators(Connect, "r2", settings, log=lambda m: None) == {"not_run": 2}
    runs = con.execute("""SELECT collection, status, findings FROM quality.dfe_validator_runs WHERE run_id = 'r2'
                          ORDER BY collection""").fetchall()
    assert runs == [("cin", "not_run", None), ("ssda903", "not_run", None)]
    html = dfe.dfe_section(con, "r2", "941")
    assert (
        "<p>Not run: CSCW_DFE_VALIDATORS is off (the default); see docs/dfe_validators.md</p>"
        in html
    )
    assert "Findings by rule" not in html


def test_a_file_gone_from_the_landing_area_fails_its_run(tmp_path):
    result = dfe.run_one(tmp_path / "python", ITEM, tmp_path, tmp_path / "out.ndjson", 5)
    assert result["status"] == "failed" and "no longer in the landing area" in result["error"]


def test_settings_default_off_and_read_from_the_environment():
    from orchestration.lib.settings import DEFAULT_DFE_VENV, load_settings

    default = load_settings({})
    assert (default.dfe_validators, default.dfe_venv, default.dfe_timeout) == (
        False,
        DEFAULT_DFE_VENV,
        600,
    )
    assert str(DEFAULT_DFE_VENV).endswith(".cache/cscw/dfe-validators/venv")
    on = load_settings(
        {"CSCW_DFE_VALIDATORS": "on", "CSCW_DFE_VENV": "/tmp/x/venv", "CSCW_DFE_TIMEOUT": "30"}
    )
    assert (on.dfe_validators, str(on.dfe_venv), on.dfe_timeout) == (True, "/tmp/x/venv", 30)
    assert load_settings({"CSCW_DFE_VALIDATORS": "off"}).dfe_validators is False


def test_the_environment_is_current_only_for_the_requirements_it_was_built_from(tmp_path):
    import hashlib

    from orchestration.lib.dfe import venv

    env = tmp_path / "venv"
    (env / "bin").mkdir(parents=True)
    (env / "bin" / "python").write_text("")
    assert not venv.is_current(env)  # no marker: half built
    (env / venv.MARKER).write_text("0" * 64 + "\n")
    assert not venv.is_current(env)  # built from other requirements: rebuilt on next use
    (env / venv.MARKER).write_text(
        hashlib.sha256(venv.REQUIREMENTS.read_bytes()).hexdigest() + "\n"
    )
    assert venv.is_current(env)


def test_the_requirements_pin_every_package_and_the_two_validators():
    from orchestration.lib.dfe.venv import REQUIREMENTS

    pins = [
        ln for ln in REQUIREMENTS.read_text().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    assert all("==" in ln for ln in pins)
    assert {"csc-validator-be-903==0.1.17", "csc-validator-be-cin==0.1.13", "pandas==1.5.3"} <= set(
        pins
    )


def test_the_child_process_gets_no_warehouse_setting_or_key(monkeypatch):
    from orchestration.lib.dfe.venv import child_env

    monkeypatch.setenv("CSCW_PSEUDONYM_KEY", "secret")
    monkeypatch.setenv("CSCW_WAREHOUSE", "/x.duckdb")
    env = child_env()
    assert not [k for k in env if k.startswith("CSCW_")]
    assert env["DO_NOT_TRACK"] == "1"
