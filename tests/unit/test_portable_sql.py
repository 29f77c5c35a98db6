"""The models, macros and tests are written in SQL both DuckDB and Spark run (docs/scale.md): the
spellings only DuckDB knows live in dbt_project/macros/engines, dispatched per engine.

A line is refused for a DuckDB-only construct outside that folder, after Jinja and comments are
set aside (so a macro call's arguments, such as unnest_structs' dicts, are not SQL here).
"""

import re
from pathlib import Path

DBT = Path(__file__).resolve().parents[2] / "dbt_project"
ENGINES = DBT / "macros" / "engines"

DUCKDB_ONLY = {
    r"::\s*varchar\b|\bas\s+varchar\b": "varchar needs a length on Spark: {{ text_type() }}",
    r"\*\s*(exclude|rename|replace)\s*\(": "star modifiers: list the columns",
    r"\bqualify\b": "no QUALIFY on Spark: filter the window in a subquery",
    r"\bstrftime\s*\(|\bstrptime\s*\(": "format_date()",
    r"(?<!\.)\bdate_diff\s*\(|(?<![.\w])datediff\s*\(": "days_between() or month_boundaries_between()",
    r"\bdate_trunc\s*\(": "period_start()",
    r"\bgenerate_series\b|\bgenerate_subscripts\b|\brange\s*\(": "date_series()",
    r"\bunnest\s*\(": "unnest_structs() or unnest_split()",
    r"\bisodow\b|\bdayofweek\b": "iso_day_of_week()",
    r"\bepoch\s*\(": "seconds_between()",
    r"\bstring_agg\s*\(|\blistagg\s*\(": "ordered_string_agg()",
    r"\bregexp_full_match\b|\bregexp_matches\b|\bregexp_split_to_array\b": "regex_full_match()",
    r"\bstring_split\s*\(|\blist_\w+\s*\(": "DuckDB list functions",
    r"\barg_(max|min)\s*\(|\b(max|min)_by\s*\(|\bany_value\s*\(": (
        "NULL values are skipped on DuckDB only: latest_value(), earliest_value(), any_non_null()"
    ),
    r"[+-]\s*interval\b": "date + interval is a timestamp on DuckDB, a date on Spark: add_months() or + n days",
    r"\[|\{\s*'": "list or struct literals: unnest_structs()",
}

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
STRING = re.compile(r"'(?:[^']|'')*'")


def _sql_lines(text: str) -> list[str]:
    """The file's lines with Jinja, comments and string literals blanked (line numbers kept)."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    text = JINJA.sub(blank, text)
    text = COMMENT.sub(blank, text)
    text = STRING.sub(lambda m: "''" + blank(m)[2:], text)
    return text.splitlines()


def duckdb_only_lines(root: Path = DBT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.sql")):
        if ENGINES in path.parents or "target" in path.relative_to(root).parts[:1]:
            continue
        if path.relative_to(root).parts[0] in ("target", "logs", "dbt_packages"):
            continue
        for number, line in enumerate(_sql_lines(path.read_text()), start=1):
            for pattern, remedy in DUCKDB_ONLY.items():
                if re.search(pattern, line, re.IGNORECASE):
                    found.append(f"{path.relative_to(root)}:{number}: {line.strip()}  ({remedy})")
    return found


def test_no_duckdb_only_sql_outside_the_engine_macros():
    found = duckdb_only_lines()
    assert not found, f"{len(found)} lines:\n" + "\n".join(found)


def test_the_check_finds_each_construct_and_ignores_jinja_and_comments(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text(
        "select null::varchar as a,\n"  # 1
        "    {{ format_date('d', '%Y') }} as b,  -- strftime(d) in a comment\n"  # 2
        "    strftime(d, '%Y') as c,\n"  # 3
        "    d + interval 1 month as e,\n"  # 4
        "    'qualify [x]' as f\n"  # 5: in a string
        "from t qualify row_number() over () = 1\n"  # 6
        "{{ unnest_structs([{'k': 'v'}]) }}\n"  # 7
    )
    lines = [line.split(":")[1] for line in duckdb_only_lines(tmp_path)]
    assert lines == ["1", "3", "4", "6"]
