"""format_mix writes a share of values in the alternative accepted forms, all still parseable."""

import csv
import re
from datetime import datetime

import pytest

from cscw_synth import generate
from orchestration.lib.contract import extract_contract

DATE_FORMS = {
    "iso": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "iso_time": re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"),
    "iso_t": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000$"),
    "uk": re.compile(r"^\d{2}/\d{2}/\d{4}$"),
}
PARSE = {
    "iso": "%Y-%m-%d",
    "iso_time": "%Y-%m-%d %H:%M:%S",
    "iso_t": "%Y-%m-%dT%H:%M:%S.000",
    "uk": "%d/%m/%Y",
}
FLAGS = {"Y", "N", "1", "0", "true", "false"}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    out = tmp_path_factory.mktemp("mixed")
    generate(out, years=1, children=4000, seed=4, format_mix=0.5)
    return out / "884" / "2025-03-31"


def test_mixed_forms_parse(mixed):
    seen_dates, seen_flags, header_cases = set(), set(), set()
    for name, table in extract_contract().items():
        with open(mixed / f"{name}.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header = rows[0]
        assert [h.lower() for h in header] == [c.name for c in table.columns]
        header_cases.add("lower" if header == [h.lower() for h in header] else "other")
        for i, col in enumerate(table.columns):
            vals = [r[i] for r in rows[1:] if r[i] != ""]
            if col.type in ("date", "datetime"):
                for v in vals:
                    form = next((k for k, rx in DATE_FORMS.items() if rx.match(v)), None)
                    assert form, f"{name}.{col.name}: {v!r}"
                    datetime.strptime(v, PARSE[form])
                    seen_dates.add(form)
            if col.type == "flag":
                assert set(vals) <= FLAGS
                seen_flags |= set(vals)
    assert seen_dates == set(DATE_FORMS)
    assert seen_flags == FLAGS
    assert header_cases == {"lower", "other"}
