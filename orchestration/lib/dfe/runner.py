"""Run a published DfE validator on one return's files; write its findings as NDJSON.

Executed as a script by the isolated validators' environment (``python -I runner.py ...``, see
``venv.py``): it imports only the standard library and the validator packages, never the
warehouse's own code, whose pandas/numpy it could not load. One finding per line:

    {"rule_code", "message", "table_name", "column_name", "file", "child_id", "row_id", "line"}

``row_id`` is the validator's 0-based row of its table; ``line`` the line in the CSV file when the
table came from a CSV (row + 2: one header line), NULL otherwise; ``file`` the file the table came
from. The 903 validator upper-cases every text it reads, so a 903 CSV's child id is taken from the
file as written (the pseudonym must match ingestion's). A rule about the whole return (a CIN
header rule) has no child. The last line of stdout is a JSON summary of the run (ruleset,
rules run, rules that could not run on the data with their error, findings).
"""

import argparse
import contextlib
import importlib
import io
import json
import logging
import re
import sys
import traceback
from pathlib import Path

# Refused before the validators' parser sees them: the files were accepted by ingestion's
# hardened parser, but the validator parses with the standard library's.
FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")


def _ruleset(prefix: str, year: int) -> tuple[str, object]:
    """The registry of the return year (2024 = 2023-24 -> lac2023_24), or the nearest one there is."""
    package = importlib.import_module(
        f"{'lac_validator' if prefix == 'lac' else 'cin_validator'}.rules"
    )
    folder = Path(next(iter(package.__path__)))  # a namespace package: no __file__
    known = sorted(
        p.name
        for p in folder.iterdir()
        if p.is_dir()
        and p.name.startswith(prefix)
        and p.name[len(prefix) :].replace("_", "").isdigit()
    )
    wanted = f"{prefix}{year - 1}_{year % 100:02d}"
    name = wanted if wanted in known else (known[0] if wanted < known[0] else known[-1])
    return name, importlib.import_module(f"{package.__name__}.{name}").registry


def _check_xml(path: Path) -> None:
    head = path.read_bytes()[:65536].upper()
    if any(token in head for token in FORBIDDEN_XML):
        raise ValueError(f"{path.name}: declares a DTD or entities; not given to the validator")


def run_903(files: list[Path], year: int, exclude: set[str], out) -> dict:
    import pandas as pd
    from lac_validator.lac_validator import LacValidator

    name, registry = _ruleset("lac", year)
    rules = {code: rule for code, rule in registry.items() if str(code) not in exclude}
    for f in files:
        if f.suffix.lower() == ".xml":
            _check_xml(f)
    uploaded = [
        {"name": f.name, "file_content": f.read_bytes(), "description": "This year"} for f in files
    ]
    # The authority's ONS code is not known here: rules that need it are excluded by the caller.
    metadata = {"collectionYear": str(year), "localAuthority": "E00000000"}
    v = LacValidator(metadata=metadata, files=uploaded, registry=rules, selected_rules=None)
    is_csv = v.metadata.get("file_format") == "csv"
    # each CSV's table (by its exact column set, as the validator finds it) and its CHILD as written
    sources, children = {}, {}
    if is_csv:
        from lac_validator.config import column_names

        for f in files:
            original = pd.read_csv(f, dtype=str, keep_default_na=False, encoding_errors="replace")
            table = next(
                (t for t, cols in column_names.items() if set(cols) == set(original.columns)), None
            )
            if table is not None:
                sources[table] = f.name
                if "CHILD" in original.columns:
                    children[table] = original["CHILD"]
    else:
        sources = {t: files[0].name for t in v.ds_results}
    findings = 0
    for table, df in v.ds_results.items():
        if table == "metadata" or not isinstance(df, pd.DataFrame):
            continue
        err_cols = [c for c in df.columns if str(c).startswith("ERR_")]
        if not err_cols:
            continue
        flags = df[err_cols].fillna(False).astype(bool)
        child = (
            df["CHILD"] if "CHILD" in df.columns else pd.Series(None, index=df.index, dtype=object)
        )
        written = children.get(table)
        if written is not None and len(written) == len(df):
            child = pd.Series(written.to_numpy(), index=df.index).where(child.notna())
        flags.insert(0, "child_id", child)
        flags["row_id"] = df.index
        long = flags.melt(id_vars=["child_id", "row_id"], var_name="err", value_name="hit")
        long = long[long["hit"]]
        for rec in long.to_dict("records"):
            code = rec["err"][4:]
            rule = rules.get(code)
            child = rec["child_id"]
            row = int(rec["row_id"])
            out.write(
                json.dumps(
                    {
                        "rule_code": code,
                        "message": getattr(rule, "message", None),
                        "table_name": table,
                        "column_name": ", ".join(getattr(rule, "affected_fields", None) or [])
                        or None,
                        "file": sources.get(table),
                        "child_id": None if child is None or pd.isna(child) else str(child),
                        "row_id": row,
                        "line": row + 2 if is_csv else None,
                    }
                )
                + "\n"
            )
            findings += 1
    return {
        "ruleset": name,
        "rules_run": len(v.dones),
        "rules_skipped": len(v.skips),
        "rules_failed": sorted(map(str, v.fails)),
        "findings": findings,
    }


def run_cin(files: list[Path], year: int, exclude: set[str], out) -> dict:
    import xml.etree.ElementTree as ET

    import pandas as pd
    from cin_validator import cin_validator

    if len(files) != 1:
        raise ValueError(f"one CIN census XML expected, got {len(files)}")
    _check_xml(files[0])
    name, registry = _ruleset("cin", year)
    root = ET.parse(files[0]).getroot()
    data = cin_validator.process_data(cin_validator.convert_data(root))
    selected = [str(code) for code in registry if str(code) not in exclude]
    # the CIN validator prints a rule that raised ("Error with rule <code>: ...") and goes on
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        v = cin_validator.CinValidator(data, registry, selected_rules=selected)
    failed = sorted(set(re.findall(r"^Error with rule (\S+):", printed.getvalue(), re.MULTILINE)))
    findings = 0
    issues = v.full_issue_df
    for rec in issues.to_dict("records"):
        row = rec.get("row_id")
        child = rec.get("child_id")
        out.write(
            json.dumps(
                {
                    "rule_code": str(rec["rule_code"]),
                    "message": rec.get("rule_description"),
                    "table_name": rec.get("tables_affected"),
                    "column_name": rec.get("columns_affected"),
                    "file": files[0].name,
                    "child_id": None if child is None or pd.isna(child) else str(child),
                    "row_id": None if row is None or pd.isna(row) else int(row),
                    "line": None,
                },
                default=str,
            )
            + "\n"
        )
        findings += 1
    # rules about the whole return (the header, LA-level rules): no child, no row
    for rec in v.multichild_issues.drop_duplicates().to_dict("records"):
        out.write(
            json.dumps(
                {
                    "rule_code": str(rec["rule_code"]),
                    "message": rec.get("rule_description"),
                    "table_name": "Header",
                    "column_name": None,
                    "file": files[0].name,
                    "child_id": None,
                    "row_id": None,
                    "line": None,
                },
                default=str,
            )
            + "\n"
        )
        findings += 1
    return {
        "ruleset": name,
        "rules_run": len(selected) - len(failed),
        "rules_skipped": 0,
        "rules_failed": failed,
        "findings": findings,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collection", choices=["ssda903", "cin"], required=True)
    parser.add_argument("--year", type=int, required=True, help="return year: 2024 = 2023-24")
    parser.add_argument("--exclude", default="", help="rule codes not run, comma-separated")
    parser.add_argument("--out", type=Path, required=True, help="NDJSON findings")
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    logging.disable(
        logging.CRITICAL
    )  # the validators log every rule; the summary says what matters
    exclude = {c.strip() for c in args.exclude.split(",") if c.strip()}
    run = run_903 if args.collection == "ssda903" else run_cin
    try:
        with args.out.open("w", encoding="utf-8") as out:
            summary = run(args.files, args.year, exclude, out)
    except Exception as exc:  # noqa: BLE001 - reported to the caller as the run's error
        # type and message only: a traceback could carry values of the return's rows
        print(json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:500]}"}))
        traceback.print_exc(limit=0, file=sys.stderr)
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
