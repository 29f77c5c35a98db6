"""Each fault class: the manifest lists it, and the file really holds it at that line and column
(checked by reading the files independently)."""

import csv
import io
from collections import Counter
from datetime import datetime

import pytest

from cscw_synth import generate
from cscw_synth.faults import parse_faults
from orchestration.lib.contract import extract_contract

SPEC = (
    "duplicate_key=0.01,orphan_fk=0.01,missing_required=0.005,bad_date=0.005,end_before_start=0.01,"
    "unknown_code=0.01,cp1252_file=1,missing_column=1,extra_column=1,empty_file=1,header_only_file=1,"
    "duplicate_drop=1"
)
FORMS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.000", "%d/%m/%Y")


def parse(v):
    for f in FORMS:
        try:
            return datetime.strptime(v, f)
        except ValueError:
            pass
    return None


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    out = tmp_path_factory.mktemp("faults")
    report = generate(
        out, authorities=2, years=2, children=5000, seed=9, faults=SPEC, format_mix=0.2
    )
    with open(out / "faults_manifest.csv", newline="", encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    return out, report, manifest


def load(out, manifest, rel):
    enc = (
        "cp1252"
        if any(m["fault"] == "cp1252_file" and m["file"] == rel for m in manifest)
        else "utf-8"
    )
    text = (out / rel).read_bytes().decode(enc)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [h.lower() for h in rows[0]], rows


def test_manifest_shape(landing):
    out, report, manifest = landing
    assert report.manifest_path == out / "faults_manifest.csv"
    with open(report.manifest_path, encoding="utf-8") as f:
        assert (
            f.readline().strip()
            == "fault,la_code,extract_date,table,file,line,column,value,expected"
        )
    kinds = Counter(m["fault"] for m in manifest)
    for fault in (
        "duplicate_key",
        "orphan_fk",
        "missing_required",
        "bad_date",
        "end_before_start",
        "unknown_code",
    ):
        assert kinds[fault] > 0, fault
    for fault in (
        "cp1252_file",
        "missing_column",
        "extra_column",
        "empty_file",
        "header_only_file",
    ):
        assert kinds[fault] == 1, fault
    assert kinds["duplicate_drop"] == len(extract_contract())
    assert {m["expected"] for m in manifest} == {
        "quarantine",
        "orphan",
        "file_error",
        "loaded",
        "quality_gate",
    }
    assert all((out / m["file"]).exists() for m in manifest)
    assert not any(m["table"] == "ssd_person" and m["fault"] == "duplicate_key" for m in manifest)
    file_faulted = {
        m["table"]
        for m in manifest
        if m["fault"]
        in ("cp1252_file", "missing_column", "extra_column", "empty_file", "header_only_file")
    }
    assert len(file_faulted) == 5


def test_row_faults_are_in_the_files(landing):
    out, _, manifest = landing
    contract = extract_contract()
    cache = {}
    for m in manifest:
        if m["fault"] not in (
            "duplicate_key",
            "orphan_fk",
            "missing_required",
            "bad_date",
            "end_before_start",
            "unknown_code",
        ):
            continue
        if m["file"] not in cache:
            cache[m["file"]] = load(out, manifest, m["file"])
        header, rows = cache[m["file"]]
        line = int(m["line"])
        row = rows[line - 1]
        col = contract[m["table"]].column(m["column"])
        value = row[header.index(m["column"])]
        if not col.pii:
            assert value == m["value"], m
        if m["fault"] == "duplicate_key":
            assert col.primary_key
            assert sum(1 for r in rows[1:] if r[header.index(col.name)] == value) >= 2
        elif m["fault"] == "orphan_fk":
            fk = col.foreign_key
            parent_header, parent_rows = load(
                out, manifest, f"{m['la_code']}/{m['extract_date']}/{fk.table}.csv"
            )
            i = parent_header.index(fk.column)
            assert value not in {r[i] for r in parent_rows[1:]}
        elif m["fault"] == "missing_required":
            assert col.required and value == ""
        elif m["fault"] == "bad_date":
            assert col.type in ("date", "datetime") and parse(value) is None
        elif m["fault"] == "unknown_code":
            assert col.type == "code" and value not in col.codes
        elif m["fault"] == "end_before_start":
            assert m["expected"] == "quality_gate"
            start_col = {
                c.name for c in contract[m["table"]].columns if c.type in ("date", "datetime")
            }
            starts = [
                parse(row[header.index(c)])
                for c in start_col
                if c != col.name and row[header.index(c)]
            ]
            assert parse(value) is not None and any(s and s > parse(value) for s in starts)


def test_file_faults_are_in_the_files(landing):
    out, _, manifest = landing
    contract = extract_contract()
    for m in manifest:
        path = out / m["file"]
        if m["fault"] == "cp1252_file":
            raw = path.read_bytes()
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
            assert raw.decode("cp1252") != raw.decode("latin-1")
            header, rows = load(out, manifest, m["file"])
            got = rows[int(m["line"]) - 1][header.index(m["column"])]
            assert any(ch in got for ch in "’–ë")
            if m["value"]:
                assert got == m["value"]
        elif m["fault"] == "missing_column":
            header, _ = load(out, manifest, m["file"])
            assert m["column"] not in header and contract[m["table"]].column(m["column"]).required
        elif m["fault"] == "extra_column":
            header, rows = load(out, manifest, m["file"])
            assert m["column"] in header and len(rows) > 1
        elif m["fault"] == "empty_file":
            assert path.stat().st_size == 0
        elif m["fault"] == "header_only_file":
            lines = path.read_bytes().splitlines()
            assert len(lines) == 1 and b"," in lines[0]
        elif m["fault"] == "duplicate_drop":
            first = out / m["la_code"] / "2025-03-31" / path.name
            assert m["extract_date"] > "2025-03-31"
            assert path.read_bytes() == first.read_bytes()


def test_spec_parsing():
    spec = parse_faults("duplicate_key=0.02, empty_file=2 bad_date")
    assert spec.rates == {"duplicate_key": 0.02, "bad_date": 0.01}
    assert spec.counts == {"empty_file": 2}
    with pytest.raises(ValueError):
        parse_faults("no_such_fault=1")
    with pytest.raises(ValueError):
        parse_faults("bad_date=2")
