"""Annex A helpers that need no warehouse: the default window and where a workbook may go."""

from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.annex_a import load_layout, load_lists, months_before, output_path


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
    assert output_path(restricted, "884", day, None, False) == (restricted / "annex_a_884_2024-03-31.xlsx").resolve()
    assert output_path(restricted, "884", day, "x/a.xlsx", False) == (restricted / "x" / "a.xlsx").resolve()
    with pytest.raises(ValueError, match="outside the restricted folder"):
        output_path(restricted, "884", day, str(tmp_path / "a.xlsx"), False)
    with pytest.raises(ValueError, match="outside the restricted folder"):
        output_path(restricted, "884", day, "../a.xlsx", False)
    assert output_path(restricted, "884", day, str(tmp_path / "a.xlsx"), True) == (tmp_path / "a.xlsx").resolve()
    with pytest.raises(ValueError, match=r"\.xlsx"):
        output_path(restricted, "884", day, "a.csv", False)


def test_cli_needs_an_authority_or_a_file_to_check(capsys):
    from orchestration.cli import main

    assert main(["annex-a"]) == 2
    assert main(["annex-a", "--check", str(Path("/nonexistent.xlsx"))]) == 2
