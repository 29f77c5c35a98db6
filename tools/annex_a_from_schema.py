"""Derive Annex A's allowed values and the warehouse-code mapping from the published schema of
the Annex A pipeline (liia-tools-pipeline `Annex_A_schema.yml`). Run once by hand when the schema
changes; only what it writes is used at runtime (no dependency on ../shared):

    .venv/bin/python tools/annex_a_from_schema.py ../shared/samples/annex_a/liia-tools-pipeline/Annex_A_schema.yml

- the `categories` column of orchestration/contract/annex_a_layout.csv: the schema's category set
  of each coded column (the checker reads the set's codes and name variants from the schema
  itself at run time, lib/annex_a_schema.py: the repository keeps no copy of them).
- seeds/annex_a_codes.csv: the warehouse code (seeds/code_lists.csv) -> the value Annex A
  writes, for the code lists Annex A writes. First the code's category: the one category that
  lists it as a name variant ("C1", "C1: ICO", "q) 6: Police", "N1 - Abuse or neglect", ...);
  the exceptions and the lists the schema leaves ambiguous are in OVERRIDES, decided by hand.
  Then the value written is the most detailed name variant of that category that carries the
  warehouse code itself (detailed(): the category codes are group names - U1-U6 are all
  "a) Foster placement" - and inspectors use the detail): in order of preference the lettered
  "x) CODE: label" of the January 2024 template ("f) U6: Foster placement - not FFA"), else
  "CODE: label" ("E1: Placement order"), else a lettered bare code ("d) Refu"), else
  "CODE - label" ("N1 - Abuse or neglect"); the category's code only where no variant carries
  the code. Where a form has more than one such variant, VARIANT_CHOICES decides by hand.
  Gender and ethnicity rows are kept as they are (the January 2024 lettered values, which the
  schema lists as name variants).

The YAML is read with BaseLoader: every value a string, so `code: No` stays "No".
"""

import csv
import re
import sys
from pathlib import Path

from orchestration.lib.annex_a_schema import (
    NOT_ANNEX_A,
    find_heading,
    load,
    names_of,
    norm,
    spec_of,
)

REPO = Path(__file__).resolve().parents[1]
LAYOUT = REPO / "orchestration" / "contract" / "annex_a_layout.csv"
SEED = REPO / "seeds" / "annex_a_codes.csv"
CODE_LISTS = REPO / "seeds" / "code_lists.csv"

# warehouse code list -> (Annex A list, schema heading) whose categories it maps to
MAPPED = {
    "referral_source": ("list_1", "Contact Source"),
    "primary_need": ("list_6", "Primary Need Code"),
    "cp_category": ("list_7", "Initial Category of Abuse"),
    "legal_status": ("list_8", "Child's Legal Status"),
    "cla_episode_ceased_reason": ("list_8", "Reason Ceased to be Looked After"),
    "placement_type": ("list_8", "Placement Type"),
    "placement_provider": ("list_8", "Placement Provider"),
    "care_leaver_in_touch": ("list_9", "LA in Touch"),
    "care_leaver_accommodation": ("list_9", "Type of Accommodation"),
    "care_leaver_activity": ("list_9", "Activity Status"),
}
# Lists the warehouse does not keep in code_lists.csv: the values it holds, by hand.
EXTRA_CODES = {
    # fct_care_leavers.eligibility: free text in the SSD (the 903 has none)
    "care_leaver_eligibility": (
        "list_9",
        "Eligibility Category",
        ["Relevant", "Former relevant", "Qualifying", "Eligible"],
    ),
    # fct_adoption.decision_reversed_reason: 903 REASON_PLACED_CEASED
    "adoption_reversed_reason": (
        "list_10",
        "Reason Why Child No Longer Placed for Adoption",
        ["RD1", "RD2", "RD3", "RD4"],
    ),
}
# (code_list, code) -> schema code, decided by hand where the name variants name more than one
# category (a council's stray variant, or two spellings of one code) or none. The choice is the
# category whose variants include the January 2024 template's own value for the code (e.g.
# "h) 3B: Health services", "v) E17: ...", "a) PR0: ...", "n) H5: ...").
OVERRIDES: dict[tuple[str, str], str] = {
    ("referral_source", "1B"): "a) Individual",
    **{("referral_source", c): "d) Health services" for c in ("3B", "3C", "3D", "3F")},
    ("referral_source", "7"): "h) Other legal agency",
    ("referral_source", "10"): "k) Unknown",
    ("primary_need", "N0"): "j) Not stated",
    # the warehouse's category names; the schema's variants are "Neglect", "Physical abuse", ...
    ("cp_category", "NEGLECT"): "a) Neglect",
    ("cp_category", "PHYSICAL_ABUSE"): "b) Physical Abuse",
    ("cp_category", "SEXUAL_ABUSE"): "c) Sexual Abuse",
    ("cp_category", "EMOTIONAL_ABUSE"): "d) Emotional Abuse",
    ("cp_category", "MULTIPLE"): "e) Multiple",
    ("legal_status", "J1"): "g) Youth justice legal Statuses",
    ("legal_status", "J2"): "g) Youth justice legal Statuses",
    (
        "cla_episode_ceased_reason",
        "E17",
    ): "e) Left care to live with parents, relatives or other person with no parental responsibility",
    ("cla_episode_ceased_reason", "E4A"): "d) Returned home to live with parents or relatives",
    (
        "cla_episode_ceased_reason",
        "E7",
    ): "i) Transferred to residential care funded by adult social services",
    ("cla_episode_ceased_reason", "E8"): "n) Care ceased for any other reason",
    ("placement_type", "A4"): "b) Placed for adoption",
    ("placement_type", "H5"): "f) Residential accommodation",
    ("placement_type", "R5"): "l) Young Offender Institution",
    ("placement_provider", "PR0"): "c) Other",
    ("care_leaver_in_touch", "NO"): "b) Not in touch",
}
# (code_list, code) -> the variant written where a form of detailed() has more than one variant
# carrying the code; decided by hand (the tool stops on an undecided tie).
VARIANT_CHOICES: dict[tuple[str, str], str] = {
    # the January 2024 sample's value; also "E1: Placement order granted", "E1: Placement Order or ..."
    ("legal_status", "E1"): "E1: Placement order",
    # the DfE wording, as RD1, RD3, RD4 ("The child's needs ..."); also "RD2: Court did not ..."
    ("adoption_reversed_reason", "RD2"): "RD2: The Court did not make a placement order",
    # the one lettered E17 whose label is also the schema's unlettered "E17: ..." (DfE wording);
    # also "v) E17: Aged 18+ ..." and "v) E17: Aged 18 and ..."
    (
        "cla_episode_ceased_reason",
        "E17",
    ): "v) E17: Aged 18 (or over) and remained with current carers (inc under staying put arrangements)",
    # the other lettered A6, "j) A6: Placed for adoption - order - foster", carries A5's label
    ("placement_type", "A6"): "j) A6: Placed for adoption - order - not foster",
    # curly apostrophe, as the category code ("g) Secure Children’s Homes"); also a straight one
    ("placement_type", "K1"): "o) K1: Secure Children\u2019s Homes",
    ("placement_type", "K2"): "p) K2: Children\u2019s Homes",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", norm(text)).strip("_")


def match(code: str, names: list[str]) -> bool:
    c = norm(code)
    pattern = re.compile(rf"^(\(?[a-z]\d?[).]\s*)?\(?{re.escape(c)}\)?(\s*[:\-\u2013)]|\s|$)")
    return any(norm(n) == c or pattern.match(norm(n)) for n in names)


def detailed(code_list: str, code: str, cat: dict) -> str:
    """The most detailed value of a category that carries the warehouse code (module docstring);
    the category's code where none does. The code is matched as written (case-sensitive) in the
    labelled forms, so "Multiple: ..." is not MULTIPLE and "1a: ..." is not preferred to "1A: ..."."""
    c = re.escape(code)
    values = [v.strip() for v in dict.fromkeys([cat["code"], *names_of(cat)]) if str(v).strip()]
    forms = [
        re.compile(
            rf"^[a-z]\d?\) {c}: \S"
        ),  # "f) U6: Foster placement - not FFA", "p1) 5D: LA services"
        re.compile(rf"^{c}: \S"),  # "E1: Placement order", "RD1: The child's needs ..."
        re.compile(rf"^[a-z]\d?\) {c}$", re.IGNORECASE),  # "d) Refu", "e) NREQ" (LA in Touch)
        re.compile(rf"^{c} - \S"),  # "N1 - Abuse or neglect": the first listed (the DfE wording)
    ]
    for i, form in enumerate(forms):
        found = [v for v in values if form.match(v)]
        if not found:
            continue
        if len(found) > 1 and i < 3:
            choice = VARIANT_CHOICES.get((code_list, code))
            if choice not in found:
                raise SystemExit(f"{code_list} {code}: decide in VARIANT_CHOICES between {found}")
            return choice
        return found[0]
    return cat["code"]


def main(schema_path: Path) -> None:
    data, anchors = load(schema_path)
    layout = list(csv.DictReader(LAYOUT.open(newline="", encoding="utf-8")))
    sets: dict[str, list[dict]] = {}
    set_names: dict[int, str] = {}
    for row in layout:
        if row["type"] != "code":
            row["categories"] = ""
            continue
        columns = data[f"list_{row['list']}"]
        heading = find_heading(columns, row["heading"], row["header_regex"])
        spec = spec_of(columns, heading) if heading else None
        if not isinstance(spec, dict) or "category" not in spec:
            row["categories"] = ""
            continue
        # One set per category list of the YAML (aliases share the object): named after the
        # heading's anchor, else after the heading that first uses it.
        name = set_names.get(id(spec["category"]))
        if name is None:
            name = (anchors.get(heading) or slug(heading)).replace("-", "_")
            if name in sets:
                name = f"list_{row['list']}_{name}"
            set_names[id(spec["category"])] = name
            sets[name] = spec["category"]
        row["categories"] = name
    with LAYOUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=[*layout[0].keys()], lineterminator="\n")
        w.writeheader()
        w.writerows(layout)

    codes: dict[str, list[str]] = {}
    for r in csv.DictReader(CODE_LISTS.open(newline="", encoding="utf-8")):
        if r["code_list"] in MAPPED:
            codes.setdefault(r["code_list"], []).append(r["code"])
    targets = {k: v for k, v in MAPPED.items()}
    for k, (lst, heading, values) in EXTRA_CODES.items():
        targets[k] = (lst, heading)
        codes[k] = values
    kept = [
        r
        for r in csv.DictReader(SEED.open(newline="", encoding="utf-8"))
        if r["code_list"] in ("sex", "ethnicity")
    ]
    rows, unmatched = [], []
    for code_list, (lst, heading) in targets.items():
        cats = [
            c for c in spec_of(data[lst], heading)["category"] if not NOT_ANNEX_A.match(c["code"])
        ]
        for code in codes[code_list]:
            if (code_list, code) in OVERRIDES:
                rows.append((code_list, code, OVERRIDES[(code_list, code)]))
                continue
            # 903 accommodation codes are the accommodation letter and a suitability digit; the
            # schema lists the letter ("B", "D: Semi-independent ..."), suitability has its own column
            if code_list == "care_leaver_accommodation":
                letter = re.compile(
                    rf"^\(?{code[0]}\)?(\s*[:\-]|$)"
                )  # "B", "B: ...", "(B) ...", "B - ..."
                found = [
                    c["code"] for c in cats if any(letter.match(n.strip()) for n in names_of(c))
                ]
            else:
                found = [c["code"] for c in cats if match(code, [c["code"], *names_of(c)])]
            found = list(dict.fromkeys(found))
            if len(found) == 1:
                rows.append((code_list, code, found[0]))
            else:
                unmatched.append((code_list, code, found))
    # The category -> its most detailed value carrying the warehouse code. Not for accommodation
    # (the variants carry the accommodation letter, "U: Independent living", not the warehouse's
    # U1/U2 of letter and suitability) nor eligibility (free text, no DfE code).
    by_code = {
        (k, c["code"]): c
        for k, (lst, heading) in targets.items()
        for c in spec_of(data[lst], heading)["category"]
    }
    rows = [
        (
            k,
            code,
            value
            if k in ("care_leaver_accommodation", "care_leaver_eligibility")
            else detailed(k, code, by_code[(k, value)]),
        )
        for k, code, value in rows
    ]
    with SEED.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code_list", "code", "annex_a_value"])
        w.writerows((r["code_list"], r["code"], r["annex_a_value"]) for r in kept)
        w.writerows(rows)
    for u in unmatched:
        print("not mapped:", *u, file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
