"""The managers' lists writer on a tiny hand-made snapshot (no pipeline run): the rows are the
published ones, not the live warehouse's; identities come from the restricted schema."""

from datetime import date

import duckdb
import pytest
from openpyxl import load_workbook

from orchestration.lib.ingest.restricted import ensure_restricted
from orchestration.lib.manager_lists import ListsError, write_lists

COLUMNS = (
    "la_code, as_at_date, child_key, worker_key, team_id, team_name, service_area_id, item, rule, "
    "last_done_date, due_date, status, working_days_overdue"
)


@pytest.fixture
def warehouse(tmp_path):
    """A snapshot where authority 884's published rows (as at 31 May) differ from the live
    warehouse's newer, unpublished ones (as if the gate held 884 back)."""
    con = duckdb.connect()
    parquet = tmp_path / "snapshot" / "parquet"
    parquet.mkdir(parents=True)
    published = f"""SELECT * FROM (VALUES
        ('884', DATE '2024-05-31', 'k1', 'w1', 'T1', 'Team one', 'SA1', 'cp_visit', 'seen every 10 working days',
         DATE '2024-05-01', DATE '2024-05-15', 'overdue', 12),
        ('884', DATE '2024-05-31', 'k2', NULL, '-1', 'Unknown team', '-1', 'return_interview', '72 hours',
         DATE '2024-05-30', DATE '2024-06-02', 'due_soon', -1),
        ('884', DATE '2024-05-31', 'k3', 'w1', 'T1', 'Team one', 'SA1', 'cp_review', 'every 6 months',
         NULL, DATE '2024-06-04', 'due_soon', -2),
        ('885', DATE '2024-05-31', 'k9', 'w9', 'T1', 'Other', 'SA9', 'cp_visit', 'x', NULL, DATE '2024-05-01', 'overdue', 21)
        ) AS t({COLUMNS})"""
    con.execute(f"COPY ({published}) TO '{parquet / 'kpi_exceptions_child_protection.parquet'}'")
    con.execute(
        f"COPY (SELECT * FROM (VALUES ('884', DATE '2024-05-31'), ('885', DATE '2024-05-31')) t(la_code, as_at_date)) "
        f"TO '{parquet / 'dim_authority.parquet'}'"
    )
    con.execute(f"""COPY (SELECT * FROM (VALUES ('884', 'T1', 'Team one', 'SA1', 'Area one'),
                                                ('884', 'T2', 'Team two', 'SA1', 'Area one'),
                                                ('884', '-1', 'Unknown team', '-1', 'Unknown service area'))
                          t(la_code, team_id, team_name, service_area_id, service_area_name))
                    TO '{parquet / "dim_team.parquet"}'""")
    # the live warehouse's newer rows for 884: never listed
    con.execute("CREATE SCHEMA kpi")
    con.execute(
        f"CREATE TABLE kpi.kpi_exceptions_child_protection AS {published.replace('2024-05-31', '2024-06-30')}"
    )
    ensure_restricted(con)
    con.execute(
        "INSERT INTO restricted.key_map VALUES ('884', 'person', 'k1', 'CASE-1'), "
        "('884', 'person', 'k2', 'CASE-2'), ('884', 'professional', 'w1', 'W-1'), ('885', 'person', 'k3', 'OTHER')"
    )
    con.execute(
        "INSERT INTO restricted.direct_identifiers VALUES "
        "('884', 'ssd_professionals', 'professional', 'w1', 'prof_professional_name', 'Ann Worker', 2)"
    )
    yield con, tmp_path / "snapshot", tmp_path / "restricted"
    con.close()


def rows_of(path):
    header, *rows = load_workbook(path).worksheets[0].iter_rows(values_only=True)
    return [dict(zip(header, r)) for r in rows]


def test_lists_are_the_published_rows_identified(warehouse):
    con, snapshot, restricted = warehouse
    result = write_lists(con, snapshot, restricted, "884")
    assert result.folder == restricted / "lists" / "884" / "2024-05-31"  # the published data date
    assert sorted(p.name for p in result.folder.iterdir()) == [
        "service_area_SA1.xlsx",
        "service_area_unknown.xlsx",
        "team_T1.xlsx",
        "team_unknown.xlsx",
    ]
    team = rows_of(result.folder / "team_T1.xlsx")
    assert [
        (
            r["Case-management id"],
            r["Allocated worker"],
            r["Due date"].date(),
            r["Working days overdue"],
            r["Status"],
        )
        for r in team
    ] == [
        ("CASE-1", "Ann Worker", date(2024, 5, 15), 12, "overdue"),
        # k3 is in 885's key map only: shown as the pseudonym, marked, never another authority's id
        ("not in key map: k3", "Ann Worker", date(2024, 6, 4), -2, "due soon"),
    ]
    unknown = rows_of(result.folder / "team_unknown.xlsx")
    assert [(r["Case-management id"], r["Allocated worker"], r["Item"]) for r in unknown] == [
        ("CASE-2", "unallocated", "Return interview")
    ]


def test_one_team_with_nothing_due_gets_an_empty_list_and_errors_are_named(warehouse):
    con, snapshot, restricted = warehouse
    result = write_lists(con, snapshot, restricted, "884", team="T2")
    assert [(b.path.name, b.rows) for b in result.workbooks] == [("team_T2.xlsx", 0)]
    assert rows_of(result.workbooks[0].path) == []  # the header only
    with pytest.raises(ListsError, match="no team 'T9'"):
        write_lists(con, snapshot, restricted, "884", team="T9")
    with pytest.raises(ListsError, match="not in the published snapshot"):
        write_lists(con, snapshot, restricted, "886")
    (snapshot / "parquet" / "kpi_exceptions_child_protection.parquet").unlink()
    with pytest.raises(ListsError, match="CSCW_PUBLISH_DETAIL"):
        write_lists(con, snapshot, restricted, "884")
