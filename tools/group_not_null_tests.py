"""Move every column-level `not_null` test without config into its model's grouped test.

    python tools/group_not_null_tests.py [--check] FILE.yml ...

A bare `not_null` in a column's `data_tests` (flow `[not_null, unique]` or a block `- not_null`
line) is removed, and the model (or seed) gets one model-level
`- not_null_columns: {arguments: {columns: [...]}}` with those columns in YAML order, appended to
its `data_tests` (created above `columns:` when it has none). A `not_null` with config (severity,
where, ...) is left where it is. A line-based rewrite, so comments and layout stay; the result
is verified by loading both versions with PyYAML: the new one must equal the old one with exactly
this change. `--check` rewrites nothing and exits 1 when a file still has a bare `not_null`
(so a new model's YAML can be checked).
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import yaml

GROUPED = "not_null_columns"
ITEM = re.compile(r"^(\s*)- (\{)?name: ([^,}\s]+)")
KEY = re.compile(r"^(\s*)([A-Za-z_]+):(.*)$")


def _split_flow(text: str) -> list[str]:
    """Top-level items of a YAML flow sequence's inside (`a, {b: [c, d]}, e`)."""
    items, depth, start, quote = [], 0, 0, None
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        items.append(text[start:].strip())
    return items


def _flow_list_span(line: str, key: str = "data_tests") -> tuple[int, int] | None:
    """(start of `key: [`, index after the matching `]`) in a line, or None."""
    at = line.find(f"{key}: [")
    if at < 0:
        return None
    i, depth, quote = line.index("[", at), 0, None
    for j in range(i, len(line)):
        ch = line[j]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return at, j + 1
    raise ValueError(f"unbalanced data_tests list: {line}")


def _drop_from_flow(line: str) -> tuple[str, bool]:
    """The line without a bare not_null in its `data_tests: [...]`; (line, removed?)."""
    span = _flow_list_span(line)
    if not span:
        return line, False
    at, end = span
    items = _split_flow(line[line.index("[", at) + 1 : end - 1])
    kept = [i for i in items if i != "not_null"]
    if len(kept) == len(items):
        return line, False
    if kept:
        return line[:at] + f"data_tests: [{', '.join(kept)}]" + line[end:], True
    # drop `, data_tests: []` (or `data_tests: [], `) entirely
    before, after = line[:at], line[end:]
    if before.rstrip().endswith(","):
        return before.rstrip()[:-1] + after, True
    return before + after.lstrip(", "), True


def convert(text: str) -> str:
    lines = text.split("\n")
    # the models/seeds list: its items' indent
    top = next(
        (i for i, ln in enumerate(lines) if re.match(r"^(models|seeds):\s*$", ln)),
        None,
    )
    if top is None:
        return text
    model_indent = None
    for ln in lines[top + 1 :]:
        m = ITEM.match(ln)
        if m:
            model_indent = len(m.group(1))
            break
    if model_indent is None:
        return text
    key_indent = model_indent + 2
    models: list[dict] = []  # {line, name, columns: [...], columns_line, tests_line}
    out: list[str | None] = list(lines)
    current = None
    column = None
    column_indent = None
    in_tests = False  # within a block-style column's data_tests
    anchors: dict[str, list[str]] = {}
    for i, ln in enumerate(lines):
        m = ITEM.match(ln)
        if m and len(m.group(1)) == model_indent:
            current = {"line": i, "name": m.group(3), "columns": [], "columns_line": None}
            current["tests_line"] = None
            models.append(current)
            column, column_indent, in_tests = None, None, False
            continue
        if current is None:
            continue
        k = KEY.match(ln)
        if k and len(k.group(1)) == key_indent:
            if k.group(2) == "columns":
                current["columns_line"] = i
                anchor = re.match(r"\s*([&*])(\S+)", k.group(3))
                if anchor:  # a column list shared through a YAML anchor: same columns grouped
                    if anchor.group(1) == "&":
                        anchors[anchor.group(2)] = current["columns"]
                    else:
                        current["columns"] = anchors.get(anchor.group(2), [])
            if k.group(2) == "data_tests":
                current["tests_line"] = i
            column = None
            continue
        if m and current["columns_line"] is not None and len(m.group(1)) > key_indent - 2:
            column, column_indent, in_tests = m.group(3), len(m.group(1)), False
            if m.group(2):  # a flow-style column on one line
                new, removed = _drop_from_flow(ln)
                if removed:
                    out[i] = new
                    current["columns"].append(column)
            continue
        if column is None:
            continue
        if k and len(k.group(1)) == column_indent + 2:
            in_tests = k.group(2) == "data_tests"
            if in_tests and k.group(3).strip():  # data_tests: [not_null, ...]
                new, removed = _drop_from_flow(ln)
                if removed:
                    out[i] = None if new.rstrip().endswith("data_tests:") else new
                    current["columns"].append(column)
            continue
        indent = len(ln) - len(ln.lstrip())
        if in_tests and re.match(r"^\s*- not_null\s*$", ln) and indent >= column_indent + 2:
            out[i] = None
            current["columns"].append(column)
    # remove block `data_tests:` lines left without items
    for i, ln in enumerate(lines):
        if out[i] is not None and re.match(r"^\s*data_tests:\s*$", ln):
            indent = len(ln) - len(ln.lstrip())
            j = i + 1
            while j < len(lines) and (out[j] is None or out[j].lstrip()[:1] in ("", "#")):
                j += 1
            nxt = out[j] if j < len(lines) else ""
            if not (nxt.lstrip().startswith("- ") and len(nxt) - len(nxt.lstrip()) >= indent):
                out[i] = None
    list_offset = model_indent - (len(lines[top]) - len(lines[top].lstrip()))
    inserts: dict[int, list[str]] = {}
    for model in models:
        if not model["columns"]:
            continue
        pad = " " * key_indent
        item_pad = pad + " " * list_offset
        if model["tests_line"] is not None:
            # append to its data_tests, after its last item (before `columns:` or the next key)
            j = model["tests_line"] + 1
            while j < len(lines) and (
                not lines[j].strip()
                or len(lines[j]) - len(lines[j].lstrip()) > key_indent
                or lines[j].lstrip().startswith("- ")
                and len(lines[j]) - len(lines[j].lstrip()) == key_indent
            ):
                j += 1
            existing = [
                ln for ln in lines[model["tests_line"] + 1 : j] if ln.lstrip().startswith("- ")
            ]
            if existing:
                item_pad = existing[0][: len(existing[0]) - len(existing[0].lstrip())]
            where, new = j, []
        else:
            where, new = model["columns_line"], [f"{pad}data_tests:"]
        cols = ", ".join(model["columns"])
        new.append(f"{item_pad}- {GROUPED}: {{arguments: {{columns: [{cols}]}}}}")
        inserts.setdefault(where, []).extend(new)
    result = []
    for i, ln in enumerate(out):
        result.extend(inserts.get(i, []))
        if ln is not None:
            result.append(ln)
    return "\n".join(result)


def expected(old: dict) -> dict:
    """What the conversion must produce, worked out on the parsed YAML."""
    new = copy.deepcopy(old)
    for section in ("models", "seeds"):
        models = new.get(section) or []
        # first the columns of every model (a column list shared through a YAML anchor is one
        # object: edited once, grouped for each model using it)
        grouped = [
            [c["name"] for c in m.get("columns") or [] if "not_null" in (c.get("data_tests") or [])]
            for m in models
        ]
        for model, cols in zip(models, grouped):
            for column in model.get("columns") or []:
                tests = column.get("data_tests")
                if tests and "not_null" in tests:
                    column["data_tests"] = [t for t in tests if t != "not_null"]
                    if not column["data_tests"]:
                        del column["data_tests"]
            if cols:
                model.setdefault("data_tests", []).append(
                    {GROUPED: {"arguments": {"columns": cols}}}
                )
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        text = path.read_text()
        old = yaml.safe_load(text)
        if not isinstance(old, dict):
            continue
        want = expected(old)
        if want == old:
            continue
        if args.check:
            print(f"{path}: column-level not_null to group into {GROUPED}")
            status = 1
            continue
        new_text = convert(text)
        if yaml.safe_load(new_text) != want:
            print(f"{path}: the line rewrite differs from the expected YAML; left unchanged")
            status = 1
            continue
        path.write_text(new_text)
        print(f"{path}: grouped")
    return status


if __name__ == "__main__":
    sys.exit(main())
