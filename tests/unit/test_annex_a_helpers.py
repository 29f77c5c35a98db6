"""Annex A helpers that need no warehouse: the default window and where a workbook may go."""

from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.annex_a import load_layout, load_lists, months_before, output_path
from orchestration.lib.settings import REPO_ROOT

# The published Annex A schema, read from ../shared/samples (the repository keeps no copy of it).
SCHEMA = (
    REPO_ROOT.parent
    / "shared"
    / "samples"
    / "annex_a"
    / "liia-tools-pipeline"
    / "Annex_A_schema.yml"
)
needs_schema = pytest.mark.skipif(not SCHEMA.is_file(), reason="../shared/samples is absent")


def test_window_of_whole_months_ending_on_the_data_date():
    assert months_before(date(2024, 3, 31), 6) == date(2023, 10, 1)  # 2023-09-30 clipped, next day
    assert months_before(date(2024, 8, 31), 6) == date(2024, 3, 1)  # 29 Feb 2024, next day
    assert months_before(date(2024, 3, 31), 12) == date(2023, 4, 1)


def test_every_list_has_a_layout_and_only_list_11_is_not_filled():
    layout, lists = load_layout(), load_lists()
    assert sorted(layout) == [a.number for a in lists] == list(range(1, 12))
    assert [a.number for a in lists if a.not_filled_because] == [11]
    assert all(a.model for a in lists if not a.not_filled_because)


def test_identified_workbook_stays_in_the_restricted_folder(tmp_path):
    restricted = tmp_path / "restricted"
    day = date(2024, 3, 31)
    assert (
        output_path(restricted, "884", day, None, False)
        == (restricted / "annex_a_884_2024-03-31.xlsx").resolve()
    )
    assert (
        output_path(restricted, "884", day, "x/a.xlsx", False)
        == (restricted / "x" / "a.xlsx").resolve()
    )
    with pytest.raises(ValueError, match="outside the restricted folder"):
        output_path(restricted, "884", day, str(tmp_path / "a.xlsx"), False)
    with pytest.raises(ValueError, match="outside the restricted folder"):
        output_path(restricted, "884", day, "../a.xlsx", False)
    assert (
        output_path(restricted, "884", day, str(tmp_path / "a.xlsx"), True)
        == (tmp_path / "a.xlsx").resolve()
    )
    with pytest.raises(ValueError, match=r"\.xlsx"):
        output_path(restricted, "884", day, "a.csv", False)


def test_cli_needs_an_authority_or_a_file_to_check(capsys):
    from orchestration.cli import main

    assert main(["annex-a"]) == 2
    assert main(["annex-a", "--check", str(Path("/nonexistent.xlsx"))]) == 2


# Which Annex A column each list of seeds/annex_a_codes.csv fills (the views' annex_a_code calls).
SEED_COLUMNS = {
    "sex": (1, "gender"),
    "ethnicity": (1, "ethnicity"),
    "referral_source": (1, "contact_source"),
    "primary_need": (6, "primary_need"),
    "cp_category": (7, "initial_category"),
    "legal_status": (8, "legal_status"),
    "cla_episode_ceased_reason": (8, "ceased_reason"),
    "placement_type": (8, "placement_type"),
    "placement_provider": (8, "placement_provider"),
    "care_leaver_in_touch": (9, "in_touch"),
    "care_leaver_accommodation": (9, "accommodation"),
    "care_leaver_activity": (9, "activity"),
    "care_leaver_eligibility": (9, "eligibility"),
    "adoption_reversed_reason": (10, "decision_reversed_reason"),
}
# Warehouse codes with no Annex A value: only in the schema's error bucket (zzCodeError).
UNMAPPED = {("legal_status", "V3"), ("legal_status", "V4"), ("cla_episode_ceased_reason", "X1")}


def _csv(path: Path) -> list[dict]:
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@needs_schema
def test_every_annex_a_value_of_the_seed_passes_the_checker():
    from orchestration.lib.annex_a import _normalise, load_categories

    layout, allowed = load_layout(), load_categories(SCHEMA)
    seed = _csv(REPO_ROOT / "seeds" / "annex_a_codes.csv")
    assert {r["code_list"] for r in seed} == set(SEED_COLUMNS)
    for r in seed:
        number, column = SEED_COLUMNS[r["code_list"]]
        col = next(c for c in layout[number] if c.column == column)
        assert _normalise(r["annex_a_value"]) in allowed[(number, col.heading)], r


def test_every_warehouse_code_of_a_mapped_list_has_an_annex_a_value_but_the_known_few():
    seed = {(r["code_list"], r["code"]) for r in _csv(REPO_ROOT / "seeds" / "annex_a_codes.csv")}
    codes = {
        (r["code_list"], r["code"])
        for r in _csv(REPO_ROOT / "seeds" / "code_lists.csv")
        if r["code_list"] in SEED_COLUMNS and r["code_list"] != "ethnicity"
    }
    assert codes - seed == UNMAPPED


@needs_schema
def test_every_coded_column_with_a_category_set_finds_it_in_the_schema():
    from orchestration.lib.annex_a import load_categories

    allowed = load_categories(SCHEMA)
    used = {
        (number, c.heading) for number, cols in load_layout().items() for c in cols if c.categories
    }
    assert used == set(allowed) and all(allowed.values())
    assert all(c.type == "code" for cols in load_layout().values() for c in cols if c.categories)


# Lists whose warehouse codes the schema's variants carry one by one: each code is written as its
# own value ("f) U6: Foster placement - not FFA", not the group code "a) Foster placement").
DETAILED = (
    "referral_source",
    "primary_need",
    "legal_status",
    "cla_episode_ceased_reason",
    "placement_type",
    "placement_provider",
    "care_leaver_in_touch",
    "care_leaver_activity",
    "adoption_reversed_reason",
)


def test_detailed_lists_write_one_value_per_warehouse_code_carrying_the_code():
    import re

    seed = [
        r for r in _csv(REPO_ROOT / "seeds" / "annex_a_codes.csv") if r["code_list"] in DETAILED
    ]
    for code_list in DETAILED:
        values = [r["annex_a_value"] for r in seed if r["code_list"] == code_list]
        assert len(values) == len(set(values)), code_list
    for r in seed:
        assert re.match(
            rf"^([a-z]\d?\) )?{re.escape(r['code'])}(: | - |$)", r["annex_a_value"], re.IGNORECASE
        ), r
