"""Every fault class the generator injects ends where FAULTS.md says: in the quarantine at its
file, line and column, as a failed file, or loaded; and every file's rows add up.

Expected outcomes come from faults_manifest.csv and from reading the files with the csv module.
"""

from collections import defaultdict

import pytest

from cscw_synth import generate
from orchestration.lib.contract import load_contract
from orchestration.lib.ingest.loader import load_landing

from .conftest import (
    ALL_FAULTS,
    END,
    QUIET,
    connect,
    count_records,
    current_files,
    read_manifest,
    records,
)

REASONS = {
    "duplicate_key": "duplicate primary key",
    "orphan_fk": "foreign key not found",
    "missing_required": "required value missing",
    "bad_date": "not a valid date",  # date or datetime
    "unknown_code": "code not in the contract list",
}
FILE_PROBLEMS = {
    "empty_file": "empty file",
    "header_only_file": "header only",
    "missing_column": "required column(s) missing",
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    landing = tmp_path_factory.mktemp("faulty")
    generate(
        landing, authorities=2, years=1, end_date=END, seed=4, faults=ALL_FAULTS, children=3000
    )
    con = connect(landing.parent / f"{landing.name}.duckdb")
    report = load_landing(con, landing, "run1", **QUIET)
    yield landing, con, report, read_manifest(landing)
    con.close()


def _copies(manifest) -> dict[tuple[str, str], list[str]]:
    """(la_code, table) -> the files of the duplicated drops (byte-identical copies)."""
    out = defaultdict(list)
    for m in manifest:
        if m["fault"] == "duplicate_drop":
            out[(m["la_code"], m["table"])].append(m["file"])
    return out


def expected_file_errors(landing, manifest) -> dict[str, tuple[str, str, str, str]]:
    """file -> (fault, column, la_code, table): the manifest's file errors and their duplicated-drop
    copies, plus any file that holds a header and no rows (a small synthetic authority can have
    none of a rare event; header-only files fail by contract whether injected or not)."""
    copies = _copies(manifest)
    out = {}
    for m in manifest:
        if m["expected"] == "file_error":
            for rel in [m["file"], *copies.get((m["la_code"], m["table"]), [])]:
                out[rel] = (m["fault"], m["column"], m["la_code"], m["table"])
    for path in landing.glob("*/*/*.csv"):
        rel = path.relative_to(landing).as_posix()
        if rel not in out and path.stat().st_size and count_records(path) == 0:
            out[rel] = ("header_only_file", "", path.parts[-3], path.stem)
    return out


def expected_quarantine(landing, manifest) -> dict[tuple[str, int, str], str]:
    """(current file, line, column) -> fault, worked out from the manifest and the files.

    A duplicate_key puts the injected copy and every other row holding that key in quarantine."""
    current = current_files(landing)
    table_pk = {name: t.primary_key for name, t in load_contract().items()}
    out = {}
    for m in manifest:
        if m["expected"] != "quarantine":
            continue
        rel = current[(m["la_code"], m["table"])]  # the newest copy of the file is the one loaded
        out[(rel, int(m["line"]), m["column"])] = m["fault"]
        if m["fault"] == "duplicate_key":
            assert table_pk[m["table"]] == (m["column"],)
            rows = records(landing / rel)
            value = dict(rows)[int(m["line"])][m["column"]]
            for line, row in rows:
                if row[m["column"]] == value:
                    out[(rel, line, m["column"])] = "duplicate_key"
    return out


def test_manifest_covers_every_fault_class(loaded):
    _, _, _, manifest = loaded
    assert {m["fault"] for m in manifest} == {
        "duplicate_key",
        "orphan_fk",
        "missing_required",
        "bad_date",
        "end_before_start",
        "unknown_code",
        "cp1252_file",
        "missing_column",
        "extra_column",
        "empty_file",
        "header_only_file",
        "duplicate_drop",
    }


def test_quarantine_holds_exactly_the_injected_rows_with_reasons(loaded):
    landing, con, _, manifest = loaded
    expected = expected_quarantine(landing, manifest)
    got = con.execute(
        "SELECT source_file, line, column_name, reason, value, table_name, la_code "
        "FROM raw_meta.quarantine"
    ).fetchall()
    assert {(f, line, c) for f, line, c, *_ in got} == set(expected)
    assert len(got) == len(expected)  # one reason per broken rule, no repeats
    values = {(m["file"], int(m["line"]), m["column"]): m["value"] for m in manifest if m["line"]}
    contract = load_contract()
    for f, line, col, reason, value, table, la in got:
        fault = expected[(f, line, col)]
        assert reason.startswith(REASONS[fault]), (f, line, col, reason)
        assert f.startswith(f"{la}/") and f.endswith(f"/{table}.csv")
        if contract[table].column(col).pii:
            assert value is None  # identifying values never leave raw
        elif fault in ("bad_date", "unknown_code", "orphan_fk"):
            original = (
                f.split("/")[0]
                + "/"
                + min(
                    m["extract_date"]
                    for m in manifest
                    if m["la_code"] == la and m["table"] == table and m["fault"] == fault
                )
                + f"/{table}.csv"
            )
            assert value == values.get((original, line, col), values.get((f, line, col)))


def test_file_errors_fail_the_table_with_the_file_named(loaded):
    landing, con, report, manifest = loaded
    expected = expected_file_errors(landing, manifest)
    failed = con.execute(
        "SELECT source_file, message FROM raw_meta.load_log WHERE status = 'failed'"
    ).fetchall()
    assert {f for f, _ in failed} == set(expected)
    assert {r.source_file for r in report.failed} == set(expected)
    for rel, message in failed:
        fault, column, la, table = expected[rel]
        assert message.startswith(f"{rel}: {FILE_PROBLEMS[fault]}"), message
        if column:
            assert column in message
        # no readable version ever arrived: the table has no rows and no current version
        assert (
            con.execute(f"SELECT count(*) FROM raw.{table} WHERE la_code = ?", [la]).fetchone()[0]
            == 0
        )
        assert (
            con.execute(
                "SELECT count(*) FROM raw_meta.current_versions WHERE la_code = ? AND table_name = ?",
                [la, table],
            ).fetchone()[0]
            == 0
        )


def test_every_file_adds_up_and_matches_an_independent_count(loaded):
    landing, con, _, manifest = loaded
    expected_q = defaultdict(set)
    for rel, line, _col in expected_quarantine(landing, manifest):
        expected_q[rel].add(line)
    failed = expected_file_errors(landing, manifest)
    current = current_files(landing)
    log = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT source_file, rows_read, rows_loaded, rows_quarantined, la_code, table_name FROM raw_meta.load_log "
            "WHERE status = 'loaded'"
        ).fetchall()
    }
    for (la, table), rel in current.items():
        if rel in failed:
            continue
        assert rel in log, f"{rel} was not loaded"
        read, ok, bad, *_ = log[rel]
        n = count_records(landing / rel)
        assert read == ok + bad
        assert read == n, rel
        assert bad == len(expected_q[rel]), rel
        assert ok == n - len(expected_q[rel]), rel
        raw = con.execute(
            f"SELECT count(*), count(DISTINCT source_file), min(source_file) FROM raw.{table} "
            "WHERE la_code = ?",
            [la],
        ).fetchone()
        assert raw == (ok, 1, rel)
    assert set(log) <= set(current.values())  # only the current files were loaded


def test_loaded_faults_keep_their_values(loaded):
    landing, con, report, manifest = loaded
    current = current_files(landing)
    contract = load_contract()
    for m in manifest:
        rel = current[(m["la_code"], m["table"])]
        table = m["table"]
        if m["fault"] == "extra_column":
            notes = {line: row["local_extra_note"] for line, row in records(landing / rel)}
            got = dict(
                con.execute(
                    f"SELECT source_line, json_extract_string(_extras, '$.local_extra_note') FROM raw.{table} "
                    "WHERE la_code = ?",
                    [m["la_code"]],
                ).fetchall()
            )
            assert got and all(got[line] == notes[line] for line in got)
        elif m["fault"] == "cp1252_file":
            col = m["column"]
            if contract[table].column(col).is_direct_pii:  # restricted, never in raw
                got = con.execute(
                    "SELECT value FROM restricted.direct_identifiers WHERE la_code = ? AND table_name = ? "
                    "AND column_name = ? AND source_line = ?",
                    [m["la_code"], table, col, int(m["line"])],
                ).fetchall()
                assert got and got[0][0]  # the manifest does not show a direct identifier's value
            else:
                got = con.execute(
                    f"SELECT {col} FROM raw.{table} WHERE la_code = ? AND source_line = ?",
                    [m["la_code"], int(m["line"])],
                ).fetchall()
                if contract[table].column(col).pii:
                    assert got and got[0][0]  # pii: the manifest does not show the value
                else:
                    assert got == [(m["value"],)]
            assert {r.encoding for r in report.loaded if r.source_file == rel} == {"windows-1252"}
        elif m["fault"] == "end_before_start":
            col = m["column"]
            got = con.execute(
                f"SELECT CAST({col} AS VARCHAR) FROM raw.{table} WHERE la_code = ? AND source_line = ?",
                [m["la_code"], int(m["line"])],
            ).fetchall()
            assert len(got) == 1 and got[0][0][:10] == m["value"][:10], (m, got)


def test_orphans_load_and_are_counted_per_table_and_column(loaded):
    """Every injected orphan reference loads; raw_meta.orphans counts exactly them (the clean
    generator's references all resolve) and points at their lines."""
    _, con, _, manifest = loaded
    expected: dict[tuple[str, str, str], set[int]] = {}
    for m in manifest:  # a duplicated drop is a byte-identical copy: the same lines
        if m["fault"] == "orphan_fk":
            expected.setdefault((m["la_code"], m["table"], m["column"]), set()).add(int(m["line"]))
    assert expected
    got = con.execute(
        "SELECT la_code, table_name, column_name, rows_orphaned, example_lines FROM raw_meta.orphans"
    ).fetchall()
    assert {(la, t, c): n for la, t, c, n, _ in got} == {k: len(v) for k, v in expected.items()}
    for la, table, column, _, lines in got:
        assert {int(x) for x in lines.split(", ")} <= expected[(la, table, column)]
        for line in expected[(la, table, column)]:  # the row loaded
            assert (
                con.execute(
                    f"SELECT count(*) FROM raw.{table} WHERE la_code = ? AND source_line = ?",
                    [la, line],
                ).fetchone()[0]
                == 1
            )


def test_duplicate_drop_becomes_current_without_duplicating(loaded):
    _landing, con, _, manifest = loaded
    for (la, table), files in _copies(manifest).items():
        newest = max(files)
        versions = con.execute(
            "SELECT source_file FROM raw_meta.current_versions WHERE la_code = ? "
            "AND table_name = ?",
            [la, table],
        ).fetchall()
        if not versions:  # a failed file: checked above
            continue
        assert versions == [(newest,)]
        dates = con.execute(
            f"SELECT DISTINCT CAST(extract_date AS VARCHAR) FROM raw.{table} WHERE la_code = ?",
            [la],
        ).fetchall()
        assert dates in ([(newest.split("/")[1],)], [])
        # keys stay unique: the copy replaced the first drop instead of adding to it
        pk = load_contract()[table].primary_key
        if pk:
            keys = ", ".join(pk)
            assert (
                con.execute(
                    f"SELECT count(*) FROM (SELECT {keys} FROM raw.{table} WHERE la_code = ? "
                    f"GROUP BY ALL HAVING count(*) > 1)",
                    [la],
                ).fetchone()[0]
                == 0
            )


def test_rerun_of_the_same_landing_does_nothing(loaded):
    landing, con, _, _ = loaded
    before = con.execute("SELECT count(*) FROM raw_meta.load_log").fetchone()[0]
    again = load_landing(con, landing, "run2", **QUIET)
    assert (
        again.loaded == []
        and again.failed == []
        and sorted(again.skipped_authorities) == ["801", "884"]
    )
    assert con.execute("SELECT count(*) FROM raw_meta.load_log").fetchone()[0] == before
