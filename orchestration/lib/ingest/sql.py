"""SQL built from the contract: typed columns and the row-level checks, as DuckDB expressions.

Pure functions returning SQL text, so the rules can be read and unit-tested without a database.
Every check yields a struct {column, reason, value}; a row is loaded only if it yields none.
"""

from orchestration.lib.contract import Column, Table

# Accepted date and time spellings (contracts/README.md): ISO with space or T, optional
# fractions, and UK day-first.
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
)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _list(values) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]"


def blank(expr: str) -> str:
    return f"(nullif(trim({expr}), '') IS NULL)"


def typed(col: Column, raw: str) -> str:
    """The contract-typed value of a raw text expression (NULL when blank or unparseable)."""
    v = f"nullif(trim({raw}), '')"
    if col.type in ("string", "code"):  # codes match their list exactly (after trimming spaces)
        return v
    if col.type == "flag":
        return (
            f"CASE WHEN upper({v}) IN ({', '.join(map(lit, FLAG_TRUE))}) THEN true "
            f"WHEN upper({v}) IN ({', '.join(map(lit, FLAG_FALSE))}) THEN false END"
        )
    if col.type in ("date", "datetime"):
        parsed = f"try_strptime({v}, {_list(DATE_FORMATS)})"
        return f"CAST({parsed} AS DATE)" if col.type == "date" else parsed
    if col.type == "integer":
        return f"try_cast({v} AS BIGINT)"
    if col.type == "decimal":
        return f"try_cast({v} AS DOUBLE)"
    raise ValueError(f"unknown contract type {col.type} for {col.table}.{col.name}")


def _error(col: Column, reason_sql: str, raw: str) -> str:
    value = "NULL" if col.pii else f"{raw}"
    return f"{{'column': {lit(col.name)}, 'reason': {reason_sql}, 'value': {value}}}"


def row_checks(col: Column, raw: str) -> list[str]:
    """CASE expressions yielding an error struct or NULL for one column."""
    checks = []
    if col.required or col.primary_key:  # a primary key is never null, required or not
        checks.append(f"CASE WHEN {blank(raw)} THEN {_error(col, lit('required value missing'), 'NULL')} END")
    if col.type == "code":
        reason = lit(f"code not in the contract list ({', '.join(col.codes)})")
        checks.append(
            f"CASE WHEN NOT {blank(raw)} AND trim({raw}) NOT IN ({', '.join(map(lit, col.codes))}) "
            f"THEN {_error(col, reason, raw)} END"
        )
    elif col.type != "string":
        reason = lit(f"not a valid {col.type}")
        checks.append(f"CASE WHEN NOT {blank(raw)} AND ({typed(col, raw)}) IS NULL THEN {_error(col, reason, raw)} END")
    return checks


def raw_table_ddl(schema: str, table: Table) -> str:
    cols = [f"{q(c.name)} {SQL_TYPES[c.type]}" for c in table.columns]
    cols += [f"{q(n)} {t}" for n, t in META_COLUMNS]
    return f"CREATE TABLE IF NOT EXISTS {schema}.{q(table.name)} ({', '.join(cols)})"


def staged_select(table: Table, present: dict[str, str], extras: list[str], source: str) -> str:
    """Typed rows with their row-local errors, from the all-text parse of one file.

    `present` maps contract column name -> the column's name in the file; missing optional
    columns become NULL; `extras` are file columns outside the contract, kept as JSON.
    """
    select = ["rowid + 1 AS _record", "rowid + 2 AS _line"]  # _line: right unless the loader renumbers
    checks: list[str] = []
    for col in table.columns:
        raw = q(present[col.name]) if col.name in present else "CAST(NULL AS VARCHAR)"
        select.append(f"{typed(col, raw)} AS {q(col.name)}")
        checks += row_checks(col, raw)
    if extras:
        pairs = ", ".join(f"{lit(e)}: {q(e)}" for e in extras)
        select.append(f"CAST(to_json({{{pairs}}}) AS VARCHAR) AS _extras")
    else:
        select.append("CAST(NULL AS VARCHAR) AS _extras")
    newline_counts = [
        f"coalesce(length({q(present[c.name])}) - length(replace({q(present[c.name])}, chr(10), '')), 0)"
        for c in table.columns
        if c.name in present
    ] + [f"coalesce(length({q(e)}) - length(replace({q(e)}, chr(10), '')), 0)" for e in extras]
    select.append(f"({' + '.join(newline_counts) or '0'}) AS _newlines")
    errors = f"list_filter([{', '.join(checks)}], lambda e: e IS NOT NULL)" if checks else "[]"
    select.append(f"CAST({errors} AS {ERROR_LIST}) AS _errors")
    return f"SELECT {', '.join(select)} FROM {source}"
