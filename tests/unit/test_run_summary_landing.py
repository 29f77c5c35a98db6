"""The run's summary names the landing paths ingestion did not use (orchestration/cli.py,
ignored_lines): a landing of nothing usable must not end in a quiet success."""

import dagster as dg

from orchestration.cli import ignored_lines


def metadata(count: int, first: list[str]) -> dict:
    return {
        "paths_ignored": dg.MetadataValue.int(count),
        "paths_ignored_first": dg.MetadataValue.text("\n".join(first)),
    }


def test_nothing_ignored_prints_nothing():
    assert ignored_lines(metadata(0, [])) == []
    assert ignored_lines({}) == []  # a run whose ingest step did not report


def test_five_ignored_paths_name_the_first_three_and_count_the_rest():
    first = [
        "/l/801: a symbolic link to /x/801, outside the landing area: refused, not read",
        "/l/802: a symbolic link to /x/802, outside the landing area: refused, not read",
        "/l/notes.txt: not a three-digit authority code",
    ]
    lines = ignored_lines(metadata(5, first))
    assert lines == [
        "  landing: 5 paths not used (every one with why: table raw_meta.landing_ignored)",
        "    " + first[0],
        "    " + first[1],
        "    " + first[2],
        "    ... and 2 more",  # 5 ignored, 3 named
    ]


def test_one_ignored_path_is_singular_and_has_no_remainder():
    lines = ignored_lines(metadata(1, ["/l/2024-13-01: not a YYYY-MM-DD drop folder"]))
    assert lines == [
        "  landing: 1 path not used (every one with why: table raw_meta.landing_ignored)",
        "    /l/2024-13-01: not a YYYY-MM-DD drop folder",
    ]
