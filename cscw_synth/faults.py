"""Faults on demand: parse the spec, choose where faults go, inject them, record them.

See FAULTS.md for what each fault does and the ingestion outcome expected.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.lib.contract import PERSON_TABLE, Table

from .names import CP1252_TEXT

ROW_FAULTS = (
    "duplicate_key",
    "orphan_fk",
    "missing_required",
    "bad_date",
    "end_before_start",
    "unknown_code",
)
FILE_FAULTS = (
    "cp1252_file",
    "missing_column",
    "extra_column",
    "empty_file",
    "header_only_file",
    "duplicate_drop",
)
EXPECTED = {
    "duplicate_key": "quarantine",
    "orphan_fk": "orphan",
    "missing_required": "quarantine",
    "bad_date": "quarantine",
    "unknown_code": "quarantine",
    "end_before_start": "quality_gate",
    "cp1252_file": "loaded",
    "extra_column": "loaded",
    "duplicate_drop": "loaded",
    "missing_column": "file_error",
    "empty_file": "file_error",
    "header_only_file": "file_error",
}
MANIFEST_COLUMNS = (
    "fault",
    "la_code",
    "extract_date",
    "table",
    "file",
    "line",
    "column",
    "value",
    "expected",
)
BAD_DATES = ("31/02/2024", "2024-13-01", "yesterday", "2023-02-30", "32/01/2023", "not a date")
UNKNOWN_CODES = ("UNKNOWN", "ZZ_NOT_A_CODE", "other")
EXTRA_COLUMN = "local_extra_note"
# tables whose rows every downstream measure needs: never given row or file faults
PROTECTED = (PERSON_TABLE, "ext_population", "ssd_department")
END_BEFORE_START = {
    "ssd_legal_status": ("lega_legal_status_start_date", "lega_legal_status_end_date"),
    "ssd_involvements": ("invo_involvement_start_date", "invo_involvement_end_date"),
    "ssd_early_help_episodes": ("earl_episode_start_date", "earl_episode_end_date"),
    "ssd_cin_episodes": ("cine_referral_date", "cine_close_date"),
    "ssd_cin_assessments": ("cina_assessment_start_date", "cina_assessment_auth_date"),
    "ssd_cin_plans": ("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
    "ssd_s47_enquiry": ("s47e_s47_start_date", "s47e_s47_end_date"),
    "ssd_cp_plans": ("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
    "ssd_cla_episodes": ("clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
    "ssd_cla_placement": ("clap_cla_placement_start_date", "clap_cla_placement_end_date"),
    "ssd_missing": ("miss_missing_episode_start_date", "miss_missing_episode_end_date"),
    "ext_care_proceedings": ("crtp_issued_date", "crtp_concluded_date"),
    "ext_staff": ("staf_start_date", "staf_end_date"),
    "ext_exploitation": ("expl_start_date", "expl_completed_date"),
    "ext_life_story_work": ("lswk_required_date", "lswk_completed_date"),
}
CP1252_TARGETS = (
    ("ext_return_interviews", "rhin_placing_la"),
    ("ssd_early_help_episodes", "earl_episode_organisation"),
    ("ssd_professionals", "prof_professional_name"),
    ("ssd_cla_placement", "clap_cla_placement_provider"),
    ("ssd_contacts", "cont_contact_source_desc"),
)
FILE_ERROR_TABLES = (
    "ext_team_diagnostics",
    "ext_life_story_work",
    "ext_vacancies",
    "ext_exploitation",
    "ssd_permanence",
    "ext_cin_reviews",
    "ext_core_groups",
    "ext_iro_activity",
    "ext_case_audits",
    "ssd_care_leavers",
)


@dataclass
class FaultSpec:
    rates: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return any(v > 0 for v in self.rates.values()) or any(v > 0 for v in self.counts.values())


def parse_faults(spec: str | None) -> FaultSpec:
    """`duplicate_key=0.01,empty_file=1,...` -> FaultSpec. Unknown names or bad numbers raise."""
    out = FaultSpec()
    if not spec:
        return out
    for part in re.split(r"[,;\s]+", spec.strip()):
        if not part:
            continue
        name, eq, value = part.partition("=")
        name = name.strip().lower()
        if name in ROW_FAULTS:
            rate = float(value) if eq else 0.01
            if not 0 <= rate <= 1:
                raise ValueError(f"fault {name}: rate {rate} not in [0, 1]")
            out.rates[name] = rate
        elif name in FILE_FAULTS:
            count = int(float(value)) if eq else 1
            if count < 0:
                raise ValueError(f"fault {name}: count {count} < 0")
            out.counts[name] = count
        else:
            raise ValueError(
                f"unknown fault {name!r}; known: {', '.join(ROW_FAULTS + FILE_FAULTS)}"
            )
    return out


def leaf_tables(contract: dict[str, Table]) -> list[str]:
    """Tables no foreign key points at: a quarantined row there orphans nothing else."""
    referenced = {c.foreign_key.table for t in contract.values() for c in t.foreign_keys}
    return [name for name in contract if name not in referenced and name not in PROTECTED]


def plan_file_faults(
    contract: dict[str, Table], spec: FaultSpec, rng: np.random.Generator
) -> dict[str, tuple[str, str]]:
    """table -> (fault, column) for the file faults of one authority (distinct tables)."""
    used: dict[str, tuple[str, str]] = {}
    leaves = leaf_tables(contract)
    for fault in FILE_FAULTS:
        k = spec.counts.get(fault, 0)
        if fault == "duplicate_drop" or k <= 0:
            continue
        if fault == "cp1252_file":
            cands = [(t, c) for t, c in CP1252_TARGETS if t in contract]
        elif fault in ("missing_column", "empty_file", "header_only_file"):
            # preferred: tables only a few measures need; then any other leaf table
            pref = [t for t in FILE_ERROR_TABLES if t in contract]
            rest = [t for t in leaves if t not in pref]
            cands = [(pref[j], "") for j in rng.permutation(len(pref))] + [
                (rest[j], "") for j in rng.permutation(len(rest))
            ]
        else:
            cands = [(t, EXTRA_COLUMN) for t in leaves]
        order = (
            range(len(cands))
            if fault in ("missing_column", "empty_file", "header_only_file")
            else rng.permutation(len(cands))
        )
        for j in order:
            if k == 0:
                break
            t, col = cands[j]
            if t in used:
                continue
            if fault == "missing_column":
                req = [
                    c.name
                    for c in contract[t].columns
                    if c.required and not c.primary_key and not c.child_from
                ]
                if not req:
                    continue
                col = req[int(rng.integers(0, len(req)))]
            used[t] = (fault, col)
            k -= 1
    return used


def _row_columns(fault: str, table: Table) -> list[str]:
    pk = set(table.primary_key)
    if fault == "orphan_fk":
        return [c.name for c in table.foreign_keys if c.name not in pk]
    if fault == "missing_required":  # a child taken from the parent row is never missing
        return [
            c.name for c in table.columns if c.required and c.name not in pk and not c.child_from
        ]
    if fault == "bad_date":
        return [c.name for c in table.columns if c.type in ("date", "datetime")]
    if fault == "unknown_code":
        return [c.name for c in table.columns if c.type == "code"]
    if fault == "duplicate_key":
        return list(table.primary_key) if len(table.primary_key) == 1 else []
    if fault == "end_before_start":
        return [END_BEFORE_START[table.name][1]] if table.name in END_BEFORE_START else []
    return []


def _parse(text: str) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S.000", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def inject_rows(table: Table, tbl: pa.Table, spec: FaultSpec, rng: np.random.Generator, leaf: bool):
    """Row faults for one table. Returns (table, [(fault, row, column, value)])."""
    n = tbl.num_rows
    if n < 3:
        return tbl, []
    plan = []
    for fault in ROW_FAULTS:
        rate = spec.rates.get(fault, 0.0)
        if rate <= 0 or (not leaf and fault != "end_before_start"):
            continue
        cols = _row_columns(fault, table)
        if cols:
            plan.append((fault, cols, int(rng.binomial(n, rate))))
    total = sum(k for _, _, k in plan)
    if total == 0:
        return tbl, []
    rows = rng.permutation(n)
    cursor = 0
    columns: dict[str, list] = {}

    def values(name: str) -> list:
        if name not in columns:
            columns[name] = tbl.column(name).to_pylist()
        return columns[name]

    changed = set()
    records = []
    free = rows[min(total, n - 1) :]  # rows left untouched: sources of duplicated keys
    for fault, cols, k in plan:
        for _ in range(k):
            if cursor >= min(total, n - 1):
                break
            row = int(rows[cursor])
            cursor += 1
            col = cols[int(rng.integers(0, len(cols)))]
            vals = values(col)
            if fault == "duplicate_key":
                src = int(free[int(rng.integers(0, len(free)))])
                value = vals[src]
            elif fault == "orphan_fk":
                value = f"ORPHAN{int(rng.integers(0, 10**6)):06d}"
            elif fault == "missing_required":
                value = None
            elif fault == "bad_date":
                value = BAD_DATES[int(rng.integers(0, len(BAD_DATES)))]
            elif fault == "unknown_code":
                value = UNKNOWN_CODES[int(rng.integers(0, len(UNKNOWN_CODES)))]
            else:  # end_before_start
                start = values(END_BEFORE_START[table.name][0])[row]
                parsed = _parse(start) if start else None
                if parsed is None:
                    continue
                end = parsed - timedelta(days=int(rng.integers(1, 60)))
                value = end.strftime(
                    "%Y-%m-%d %H:%M:%S"
                    if (parsed.hour or parsed.minute or parsed.second)
                    else "%Y-%m-%d"
                )
            vals[row] = value
            changed.add(col)
            records.append((fault, row, col, value))
    for col in changed:
        i = tbl.column_names.index(col)
        tbl = tbl.set_column(i, col, pa.array(columns[col], pa.string()))
    return tbl, records


def inject_cp1252(tbl: pa.Table, column: str, rng: np.random.Generator):
    """Put a text with cp1252-only characters into one row of a column. Returns (table, row, value)."""
    n = tbl.num_rows
    row = int(rng.integers(0, n)) if n else 0
    value = CP1252_TEXT[int(rng.integers(0, len(CP1252_TEXT)))]
    vals = tbl.column(column).to_pylist()
    vals[row] = value
    i = tbl.column_names.index(column)
    return tbl.set_column(i, column, pa.array(vals, pa.string())), row, value


def add_extra_column(tbl: pa.Table) -> pa.Table:
    n = tbl.num_rows
    return tbl.append_column(
        EXTRA_COLUMN,
        pc.binary_join_element_wise("note ", pa.array(np.arange(n) % 97).cast(pa.string()), ""),
    )


def manifest_value(table: Table, column: str, value) -> str:
    """The raw value for the manifest, blank for pii columns."""
    if value is None:
        return ""
    try:
        if table.column(column).pii:
            return ""
    except KeyError:
        pass
    return str(value)


__all__ = [
    "EXPECTED",
    "MANIFEST_COLUMNS",
    "FaultSpec",
    "add_extra_column",
    "inject_cp1252",
    "inject_rows",
    "leaf_tables",
    "parse_faults",
    "plan_file_faults",
]
