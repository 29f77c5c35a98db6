"""The typing SQL of ingestion (lib/ingest/sql.py) on hand-written values, without the loader: every
accepted date spelling in every shape the parser tells apart, and pseudonyms worked out once per
distinct id but given to every row, in the file's order. Expected values are written by hand
(pseudonyms from the Python reference HMAC)."""

from datetime import datetime

import duckdb
import pytest

from orchestration.lib.contract import Column, Table, value_conventions
from orchestration.lib.ingest.sql import parsed, staged_select, typed
from orchestration.lib.pseudonymise import configure_pseudonyms, pseudonym

KEY = "typing-test-key"

# text -> the timestamp it means (None: not an accepted spelling)
SPELLINGS = {
    "2024-03-31": datetime(2024, 3, 31),  # %Y-%m-%d
    "2024-3-1": datetime(2024, 3, 1),  # one-digit month and day, 8 characters
    "31/03/2024": datetime(2024, 3, 31),  # %d/%m/%Y, 10 characters
    "1/3/2024": datetime(2024, 3, 1),  # UK, 8 characters
    "2024-03-31 14:05:06": datetime(2024, 3, 31, 14, 5, 6),  # %Y-%m-%d %H:%M:%S
    "2024-03-31T14:05:06": datetime(2024, 3, 31, 14, 5, 6),  # %Y-%m-%dT%H:%M:%S
    "2024-03-31 14:05:06.250": datetime(2024, 3, 31, 14, 5, 6, 250000),  # SQL Server datetime
    "2024-03-31T14:05:06.123456": datetime(2024, 3, 31, 14, 5, 6, 123456),
    "2024-03-31 14:05:06.1234567": datetime(2024, 3, 31, 14, 5, 6, 123456),  # datetime2: cut
    "2024-03-31 14:05": datetime(2024, 3, 31, 14, 5),  # %Y-%m-%d %H:%M
    "2024-03-31T14:05": datetime(2024, 3, 31, 14, 5),  # %Y-%m-%dT%H:%M
    "31/03/2024 14:05:06": datetime(2024, 3, 31, 14, 5, 6),  # %d/%m/%Y %H:%M:%S
    "31/03/2024 14:05": datetime(2024, 3, 31, 14, 5),  # %d/%m/%Y %H:%M
    "31/03/24": None,  # a two-digit year
    "2024-02-30": None,  # no such day
    "2024-03-31 14": None,  # an hour alone
    "31.03.2024": None,  # dots are not a separator of any spelling
    "2024-03-31 14:05:06.5 pm": None,
}


def test_every_accepted_spelling_parses_to_its_timestamp_and_nothing_else_does():
    con = duckdb.connect()
    col = Column(table="t", name="d", type="datetime")
    rows = con.execute(
        f"SELECT v, {parsed(col, 'v')} FROM (SELECT unnest(?) AS v)", [list(SPELLINGS)]
    ).fetchall()
    assert dict(rows) == SPELLINGS


def test_a_file_repeating_its_ids_gets_each_rows_pseudonym_in_the_files_order():
    con = duckdb.connect()
    configure_pseudonyms(con, KEY)
    visits = Table(
        name="visits",
        source="SSD",
        columns=(
            Column(
                table="visits", name="visit_id", type="string", primary_key=True, identifies="visit"
            ),
            Column(table="visits", name="person_id", type="string", identifies="person"),
            Column(table="visits", name="worker_id", type="string", identifies="professional"),
        ),
    )
    # the same child on three visits, one worker seen twice, a placeholder and a missing worker;
    # P1 is a child in one column and a worker in another: two different pseudonyms
    con.execute(
        "CREATE TABLE _text AS SELECT * FROM (VALUES "
        "('V3', 'C1', 'P1'), ('V1', 'C1', 'W2'), ('V2', 'P1', '-1'), ('V9', 'C1', NULL), ('V4', 'C2', 'W2')"
        ") AS t(visit_id, person_id, worker_id)"
    )
    present = {c.name: c.name for c in visits.columns}
    sql = staged_select(visits, present, [], [], "_text", "884", value_conventions(), ())
    rows = con.execute(f"SELECT _line, visit_id, person_id, worker_id FROM ({sql})").fetchall()

    def of(kind, value):
        return pseudonym(KEY, f"{kind}|884|{value}")

    assert rows == [
        (2, of("visit", "V3"), of("person", "C1"), of("professional", "P1")),
        (3, of("visit", "V1"), of("person", "C1"), of("professional", "W2")),
        (4, of("visit", "V2"), of("person", "P1"), None),  # -1: no reference
        (5, of("visit", "V9"), of("person", "C1"), None),
        (6, of("visit", "V4"), of("person", "C2"), of("professional", "W2")),
    ]
    assert of("person", "P1") != of("professional", "P1")


@pytest.mark.parametrize("text", ["1900-01-01", "01/01/1900 00:00", "9999-12-31T00:00:00.000"])
def test_sentinel_dates_are_no_date_in_every_spelling(text):
    con = duckdb.connect()
    col = Column(table="t", name="d", type="date")
    sql = f"SELECT {typed(col, 'v', value_conventions())} FROM (SELECT ?::VARCHAR AS v)"
    assert con.execute(sql, [text]).fetchone() == (None,)
