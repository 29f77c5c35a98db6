"""SQL built from the contract: cleaned and typed columns and the row-level checks, as DuckDB
expressions.

Pure functions returning SQL text, so the rules can be read and unit-tested without a database.
Every check yields a struct {column, reason, value}; a row is loaded only if it yields none.

Values are read as councils' exports write them (contract/value_conventions.csv): blank and the
text `NULL` are missing; sentinel dates (`1900-01-01`) are no date; placeholder ids (`-1`, `0`)
in a reference are no reference; a flag that is not a recognised spelling stays empty (rule 7:
not Y) instead of costing the row. None of these quarantines anything; each is counted per
column (`value_notes_select`) and reported.
"""

from orchestration.lib.contract import Column, Table, ValueConventions
from orchestration.lib.sqltext import lit, q

# Accepted date and time spellings (contracts/README.md): ISO with space or T, optional
# fractions (SQL Server datetime .000; datetime2's .0000000 is cut to microseconds first, because
# a nanosecond format would make DuckDB parse into a type that ends in 2262, and 9999-12-31 is a
# real end date in these exports), and UK day-first.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
FOUR_DIGIT_YEAR = r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})(\D|$)"
FLAG_TRUE = ("Y", "YES", "1", "TRUE", "T")
FLAG_FALSE = ("N", "NO", "0", "FALSE", "F")

SQL_TYPES = {
    "string": "VARCHAR",
    "code": "VARCHAR",
    "flag": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
}

# One broken rule on one row: what the quarantine records.
ERROR_LIST = 'STRUCT("column" VARCHAR, reason VARCHAR, value VARCHAR)[]'

# Columns every raw row carries: provenance.
META_COLUMNS = (
    ("la_code", "VARCHAR"),
    ("extract_date", "DATE"),
    ("source_file", "VARCHAR"),
    ("source_line", "BIGINT"),
    ("_extras", "VARCHAR"),
    ("return_year", "INTEGER"),  # of the statutory return the row came from; NULL for an extract
)

# Hidden staged columns: the cleartext of an identifier kept for the restricted key map, and a
# direct identifier's value kept for the restricted schema. Neither is ever written to raw.
CLEARTEXT_PREFIX = "_id__"
DIRECT_PREFIX = "_pii__"
# Raw column beside an `ordered` identifier: the rank of its source value (source_rank).
RANK_SUFFIX = "_rank"
DIGITS_PREFIX = "_digits__"  # staged only: every id of the file is a whole number


def _list(values) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]"


def _in(values) -> str:
    return ", ".join(lit(v) for v in values)


def clean(raw: str, conventions: ValueConventions) -> str:
    """Trimmed text; blank and the null tokens (any case) are NULL."""
    tokens = [t.upper() for t in conventions.null_tokens]
    return f"CASE WHEN upper(trim({raw})) IN ({_in(tokens)}) THEN NULL ELSE nullif(trim({raw}), '') END"


def without_placeholder(value: str, conventions: ValueConventions) -> str:
    return f"CASE WHEN {value} IN ({_in(conventions.placeholder_ids)}) THEN NULL ELSE {value} END"


def parsed(col: Column, value: str) -> str:
    """The contract-typed value of cleaned text (NULL when unparseable), before sentinels."""
    if col.type in ("string", "code"):  # codes match their list exactly (after trimming spaces)
        return value
    if col.type == "flag":
        return (
            f"CASE WHEN upper({value}) IN ({_in(FLAG_TRUE)}) THEN true "
            f"WHEN upper({value}) IN ({_in(FLAG_FALSE)}) THEN false END"
        )
    # a year of four digits: strptime would read 31/03/24 as the year 24
    if col.type in ("date", "datetime"):
        return (
            f"CASE WHEN regexp_matches({value}, {lit(FOUR_DIGIT_YEAR)}) THEN {_strptime(value)} END"
        )
    if col.type == "integer":
        return f"try_cast({value} AS BIGINT)"
    if col.type == "decimal":
        return f"try_cast({value} AS DOUBLE)"
    raise ValueError(f"unknown contract type {col.type} for {col.table}.{col.name}")


def _strptime(text: str) -> str:
    """try_strptime of the DATE_FORMATS, the likeliest first by the text's shape. No text parses
    in two of them (each consumes the whole text; they differ in separators and fields), so the
    order changes only the time: a format that fails costs DuckDB about four times one that
    parses, and an extract's datetimes would otherwise all fail the date format first."""

    def first(likely) -> str:
        return _list(sorted(DATE_FORMATS, key=lambda f: not likely(f)))

    # datetime2's .0000000 cut to microseconds (see DATE_FORMATS); no text of 10 characters
    # or fewer has a fraction to cut
    cut = f"regexp_replace({text}, '(\\.\\d{{6}})\\d+$', '\\1')"
    return (
        f"CASE WHEN length({text}) <= 10 THEN try_strptime({text}, {first(lambda f: '%H' not in f)}) "
        f"WHEN contains({text}, '.') THEN try_strptime({cut}, {first(lambda f: '%f' in f)}) "
        f"ELSE try_strptime({text}, {first(lambda f: '%S' in f)}) END"
    )


def _is_sentinel(timestamp: str, conventions: ValueConventions) -> str:
    dates = ", ".join(f"DATE {lit(d)}" for d in conventions.sentinel_dates)
    return f"CAST({timestamp} AS DATE) IN ({dates})"


def typed(col: Column, value: str, conventions: ValueConventions) -> str:
    """The value raw stores: parsed, with sentinel dates read as no date."""
    p = parsed(col, value)
    if col.type in ("date", "datetime"):
        p = f"CASE WHEN {_is_sentinel(p, conventions)} THEN NULL ELSE {p} END"
        return f"CAST({p} AS DATE)" if col.type == "date" else p
    return p


def keyed_id(col: Column, value: str, la_code: str) -> str:
    """What an identifier's pseudonym is the HMAC of: kind|authority|id (lib/pseudonymise.py);
    NULL when the id is."""
    return f"{lit(f'{col.identifies}|{la_code}|')} || {value}"


# The pseudonyms of one file's identifiers, one per distinct kind|authority|id: an HMAC is two
# SHA-256s, most of a file's typing time when worked out for every row, and a file repeats its
# references (a child's id on each of its visits). Names no file column takes.
PSEUDONYMS = "_cscw_pseudonyms"
PSEUDONYM_OF = "_cscw_keyed_id"
PSEUDONYM = "_cscw_pseudonym"


def source_rank(value: str, all_digits: str) -> str:
    """Rank (1 = lowest) of an identifier's source value among the rows of its file, the
    authority's whole table, computed before the value is replaced by its pseudonym: the order of
    the ids survives pseudonymisation, the ids do not (catalogue rule 36, "ties: the higher
    allocation id"). Numeric order when every id of the file is a whole number (`all_digits`:
    '9' before '10', leading zeros ignored), text order otherwise; equal ids share a rank."""
    digits = f"ltrim({value}, '0')"
    numeric = (
        f"CASE WHEN {all_digits} THEN length({digits}) END, "
        f"CASE WHEN {all_digits} THEN {digits} END, "
    )
    return (
        f"CASE WHEN {value} IS NOT NULL THEN dense_rank() OVER (ORDER BY {value} IS NULL, "
        f"{numeric}{value}) END"
    )


def _error(col: Column, reason_sql: str, value: str) -> str:
    shown = "NULL" if col.pii else value
    return f"{{'column': {lit(col.name)}, 'reason': {reason_sql}, 'value': {shown}}}"


def row_checks(col: Column, value: str, shown: str) -> list[str]:
    """CASE expressions yielding an error struct or NULL for one column: `value` is the cleaned
    text, `shown` what the quarantine records of it (the text as delivered; a pseudonym for an
    identifier; nothing for personal data, see _error)."""
    checks = []
    # A primary key is never null; a child taken from the parent row is checked once resolved.
    if (col.required or col.primary_key) and not col.child_from:
        checks.append(
            f"CASE WHEN {value} IS NULL THEN {_error(col, lit('required value missing'), 'NULL')} END"
        )
    if col.type == "code":
        reason = lit(f"code not in the contract list ({', '.join(col.codes)})")
        checks.append(
            f"CASE WHEN {value} NOT IN ({_in(col.codes)}) THEN {_error(col, reason, shown)} END"
        )
    elif col.type not in ("string", "flag"):
        reason = lit(f"not a valid {col.type}")
        checks.append(
            f"CASE WHEN {value} IS NOT NULL AND ({parsed(col, value)}) IS NULL "
            f"THEN {_error(col, reason, shown)} END"
        )
    return checks


def rank_column(col: Column) -> str:
    """The raw column holding the rank of an `ordered` identifier's source value."""
    return f"{col.name}{RANK_SUFFIX}"


def stored_column_names(table: Table) -> list[str]:
    """The contract's columns raw keeps, then the ranks of its ordered identifiers."""
    return [c.name for c in table.stored_columns] + [
        rank_column(c) for c in table.columns if c.ordered
    ]


def raw_table_columns(table: Table) -> list[tuple[str, str]]:
    ranks = [(rank_column(c), "BIGINT") for c in table.columns if c.ordered]
    return [(c.name, SQL_TYPES[c.type]) for c in table.stored_columns] + ranks + list(META_COLUMNS)


def raw_table_ddl(schema: str, table: Table) -> str:
    cols = ", ".join(f"{q(n)} {t}" for n, t in raw_table_columns(table))
    return f"CREATE TABLE IF NOT EXISTS {schema}.{q(table.name)} ({cols})"


def cleaned_value(col: Column, header: str | None, conventions: ValueConventions) -> str:
    """Cleaned text of a contract column from the file (NULL when the file lacks it)."""
    if header is None:
        return "CAST(NULL AS VARCHAR)"
    value = clean(q(header), conventions)
    return without_placeholder(value, conventions) if col.is_reference else value


def staged_select(
    table: Table,
    present: dict[str, str],
    extras: list[str],
    direct: list[str],
    source: str,
    la_code: str,
    conventions: ValueConventions,
    cleartext_kinds: tuple[str, ...],
) -> str:
    """Typed rows with their row-local errors, from the all-text parse of one file.

    `present` maps contract column name -> the column's name in the file; missing optional
    columns become NULL; `extras` are file columns outside the contract, kept as JSON; `direct`
    are file columns outside the contract that are direct identifiers (hidden, restricted).
    Identifiers become pseudonyms; the cleartext of the `cleartext_kinds` stays in hidden columns.
    """
    cleaned = [
        f"{cleaned_value(c, present.get(c.name), conventions)} AS {q(c.name)}"
        for c in table.columns
    ]
    cleaned += [f"{clean(q(e), conventions)} AS {q(e)}" for e in extras + direct]
    newline_counts = [
        f"coalesce(length({q(h)}) - length(replace({q(h)}, chr(10), '')), 0)"
        for h in list(present.values()) + extras + direct
    ]
    cleaned.append(f"({' + '.join(newline_counts) or '0'}) AS _newlines")

    # _line: right unless the loader renumbers
    select = ["_rid + 1 AS _record", "_rid + 2 AS _line"]
    checks: list[str] = []
    identifiers = [c for c in table.columns if c.identifies]
    joins = "".join(
        f" LEFT JOIN {PSEUDONYMS} AS _p{i} ON _p{i}.{PSEUDONYM_OF} = "
        f"{keyed_id(c, 'cleaned.' + q(c.name), la_code)}"
        for i, c in enumerate(identifiers)
    )
    for col in table.columns:
        value = q(col.name)
        stored = (
            f"_p{identifiers.index(col)}.{PSEUDONYM}"
            if col.identifies
            else typed(col, value, conventions)
        )
        if col.is_direct_pii:
            select.append(f"{value} AS {q(DIRECT_PREFIX + col.name)}")
        else:
            select.append(f"{stored} AS {q(col.name)}")
        if col.identifies in cleartext_kinds:
            select.append(f"{value} AS {q(CLEARTEXT_PREFIX + col.name)}")
        if col.ordered:
            select.append(
                f"{source_rank(value, q(DIGITS_PREFIX + col.name))} AS {q(rank_column(col))}"
            )
        shown = (
            "CAST(NULL AS VARCHAR)" if col.is_direct_pii else stored if col.identifies else value
        )
        checks += row_checks(col, value, shown)
    if extras:
        pairs = ", ".join(f"{lit(e)}: {q(e)}" for e in extras)
        select.append(f"CAST(to_json({{{pairs}}}) AS VARCHAR) AS _extras")
    else:
        select.append("CAST(NULL AS VARCHAR) AS _extras")
    select += [f"{q(d)} AS {q(DIRECT_PREFIX + d)}" for d in direct]
    select.append("_newlines")
    errors = f"list_filter([{', '.join(checks)}], lambda e: e IS NOT NULL)" if checks else "[]"
    select.append(f"CAST({errors} AS {ERROR_LIST}) AS _errors")
    # whether an ordered identifier is numeric is decided over the whole file, once
    forms = [
        f"coalesce(bool_and(regexp_full_match({q(c.name)}, '[0-9]+')), true) AS {q(DIGITS_PREFIX + c.name)}"
        for c in table.columns
        if c.ordered
    ]
    id_forms = f", id_forms AS (SELECT {', '.join(forms)} FROM cleaned)" if forms else ""
    pseudonyms = ""
    if identifiers:
        keyed = ", ".join(keyed_id(c, q(c.name), la_code) for c in identifiers)
        pseudonyms = (
            f", {PSEUDONYMS} AS (SELECT {PSEUDONYM_OF}, cscw_pseudonym({PSEUDONYM_OF}) AS {PSEUDONYM} "
            f"FROM (SELECT DISTINCT unnest([{keyed}]) AS {PSEUDONYM_OF} FROM cleaned) "
            f"WHERE {PSEUDONYM_OF} IS NOT NULL)"
        )
    # in the file's order: the joins to the pseudonyms do not keep it
    order = " ORDER BY _rid" if identifiers else ""
    return (
        f"WITH cleaned AS (SELECT rowid AS _rid, {', '.join(cleaned)} FROM {source}){id_forms}{pseudonyms} "
        f"SELECT {', '.join(select)} FROM cleaned{' CROSS JOIN id_forms' if forms else ''}{joins}{order}"
    )


# Value notes: what was read as "nothing" (or kept as text) per column, counted, never quarantined.
NOTE_NULL_TOKEN = "null text read as missing"
NOTE_SENTINEL_DATE = "sentinel date read as no date"
NOTE_PLACEHOLDER_ID = "placeholder id read as no reference"
NOTE_FLAG_TEXT = "not a recognised flag: flag left empty (not Y)"
NOTE_CHILD_FROM_PARENT = "child taken from the parent row"


def value_notes_select(
    table: Table, present: dict[str, str], conventions: ValueConventions, source: str
) -> tuple[str, list[tuple[str, str]]]:
    """One scan of the all-text parse of a file (`source`) counting, per column, the values read
    as "nothing" or kept as text, with an example of each: the SELECT (a count and an example per
    note, in turn) and the (column, note) of each pair."""
    tokens = [t.upper() for t in conventions.null_tokens]
    # a spelling of a sentinel date holds its year: only those texts are parsed to look
    years = lit("|".join(sorted({d[:4] for d in conventions.sentinel_dates})))
    notes, measures, cleaned = [], [], []
    for col in table.columns:
        header = present.get(col.name)
        if header is None:
            continue
        raw = q(header)
        value = f"_cscw_clean_{len(cleaned)}"  # the cleaned text, worked out once below
        cleaned.append(f"{clean(raw, conventions)} AS {value}")
        hits = [(NOTE_NULL_TOKEN, f"upper(trim({raw})) IN ({_in(tokens)})", f"trim({raw})")]
        if col.is_reference:
            hits.append(
                (NOTE_PLACEHOLDER_ID, f"{value} IN ({_in(conventions.placeholder_ids)})", value)
            )
        if col.type in ("date", "datetime"):
            sentinel = _is_sentinel(parsed(col, value), conventions)
            hits.append(
                (
                    NOTE_SENTINEL_DATE,
                    f"CASE WHEN regexp_matches({value}, {years}) THEN {sentinel} END",
                    value,
                )
            )
        if col.type == "flag":
            hits.append(
                (NOTE_FLAG_TEXT, f"{value} IS NOT NULL AND ({parsed(col, value)}) IS NULL", value)
            )
        for note, hit, example in hits:
            notes.append((col.name, note))
            measures.append(
                f"count(*) FILTER (WHERE {hit}), any_value({example}) FILTER (WHERE {hit})"
            )
    if not measures:
        return "", []
    headers = ", ".join(
        dict.fromkeys(q(present[c.name]) for c in table.columns if c.name in present)
    )
    return (
        f"SELECT {', '.join(measures)} FROM (SELECT {headers}, {', '.join(cleaned)} FROM {source})",
        notes,
    )
