"""The published Annex A schema (liia-tools-pipeline `Annex_A_schema.yml`, MIT): the allowed values
of Annex A's coded columns, read where a council keeps the file (setting CSCW_ANNEX_A_SCHEMA).

The schema is another project's file, so the repository does not carry a copy of it: the
checker reads it when it is configured and otherwise says that coded values were not checked.
`tools/annex_a_from_schema.py` reads it with the same functions to (re)derive the seed that maps
the warehouse's codes to Annex A values.

The YAML is read with BaseLoader: every value a string, so `code: No` stays "No".
"""

import re
from pathlib import Path

import yaml

# Category codes that are the pipeline's own error or missing buckets, not Annex A values: never
# a mapping target, and not accepted by the checker (V3, V4, X1 sit in "zzCodeError").
NOT_ANNEX_A = re.compile(r"^(zz|zNotRecorded$|na$|pd\.NA$)")


def norm(text: str) -> str:
    return (
        re.sub(r"\s+", " ", str(text).replace("\u2019", "'").replace("\u2018", "'"))
        .strip()
        .casefold()
    )


def load(schema_path: Path) -> tuple[dict, dict]:
    """(the schema's column_map, heading -> its YAML anchor where it has one)."""
    raw = Path(schema_path).read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=yaml.BaseLoader)["column_map"]
    anchors = dict(re.findall(r"^ {8}[\"']?(.+?)[\"']?: &([\w-]+)\s*$", raw, re.MULTILINE))
    return data, anchors


def names_of(cat: dict) -> list[str]:
    names = cat.get("name") or []
    return [names] if isinstance(names, str) else list(names)


def spec_of(columns: dict, heading: str):
    """A heading's spec, with a YAML merge key (`<<: *anchor`, which BaseLoader leaves as is) applied."""
    spec = columns.get(heading)
    if isinstance(spec, dict) and isinstance(spec.get("<<"), dict):
        spec = {**spec["<<"], **{k: v for k, v in spec.items() if k != "<<"}}
    return spec


def find_heading(columns: dict, heading: str, header_regex: str = "") -> str | None:
    """The schema's heading for a layout heading: equal ignoring case and spacing, else the first
    that the layout's header pattern matches."""
    return next((h for h in columns if norm(h) == norm(heading)), None) or next(
        (h for h in columns if header_regex and re.search(header_regex, norm(h))), None
    )


def allowed_values(
    schema_path: Path, coded: list[tuple[int, str, str]], normalise
) -> dict[tuple[int, str], frozenset]:
    """For each coded column (list number, heading, header pattern) that the schema gives
    categories for: every category's code and name variants, normalised by `normalise`."""
    data, _ = load(schema_path)
    allowed = {}
    for number, heading, header_regex in coded:
        columns = data.get(f"list_{number}") or {}
        found = find_heading(columns, heading, header_regex)
        spec = spec_of(columns, found) if found else None
        if isinstance(spec, dict) and "category" in spec:
            allowed[(number, heading)] = frozenset(
                normalise(v)
                for cat in spec["category"]
                if not NOT_ANNEX_A.match(cat["code"])
                for v in [cat["code"], *names_of(cat)]
                if str(v).strip()
            )
    return allowed
