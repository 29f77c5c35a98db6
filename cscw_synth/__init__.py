"""Synthetic council extracts: every contract table, for any number of authorities.

The generator is a package of its own, beside the Dagster code location (``orchestration``): the
code location never imports it; ``cscw synth``, ``cscw demo`` and ``cscw bench`` do. It reads the
input contract (``orchestration/contract``) that drives ingestion, so its files are what ingestion
expects.

    generate(out_dir, authorities=1, years=6, end_date=date(2025, 3, 31), seed=1, faults=None)

writes `<out_dir>/<la_code>/<extract_date>/<table>.csv`. One authority at a time is simulated,
written and freed, so memory stays bounded. Everything is deterministic for the arguments, and each
authority has its own random streams (seeded by seed and la_code), so one authority's files do not
depend on how many others are generated. Faults are described in FAULTS.md.
"""

import csv
import gc
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from orchestration.lib.contract import extract_contract

from . import care, frontdoor, people, staff
from . import children as cin_cp
from .allocations import (
    assign_positions,
    build_involvements,
    build_phases,
    chain_positions,
    team_loads,
)
from .context import make_context
from .faults import (
    EXPECTED,
    MANIFEST_COLUMNS,
    FaultSpec,
    add_extra_column,
    inject_cp1252,
    inject_rows,
    leaf_tables,
    manifest_value,
    parse_faults,
    plan_file_faults,
)
from .journeys import People, build_chains, finalise
from .rates import DEMO_CHILDREN, DEMO_LA_CODE, Rates, authority_children
from .workforce import build_workforce
from .writer import CsvWriter, header_names, render_table

DUPLICATE_DROP_DAYS = 7


@dataclass
class SynthReport:
    rows_by_table: dict[str, int] = field(default_factory=dict)
    files: int = 0
    seconds: float = 0.0
    authorities: list[str] = field(default_factory=list)
    manifest_path: Path | None = None
    children_by_authority: dict[str, int] = field(default_factory=dict)
    faults_injected: int = 0


def default_la_codes(n: int) -> list[str]:
    """884 (the demo authority) first, then 801, 802, ... skipping 884."""
    codes = [DEMO_LA_CODE] + [str(c) for c in range(801, 1000) if str(c) != DEMO_LA_CODE]
    if n > len(codes):
        raise ValueError(f"at most {len(codes)} authorities")
    return codes[:n]


def authority_size(la_code: str, seed: int) -> int:
    if la_code == DEMO_LA_CODE:
        return DEMO_CHILDREN
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, int(la_code), 7])))
    return authority_children(rng)


def simulate_authority(
    la_code: str, children: int, years: int, end_date: date, seed: int, rates: Rates = Rates()
) -> dict[str, dict]:
    """All tables of one authority as typed columns (see render.py)."""
    ctx = make_context(la_code, children, years, end_date, seed, rates)
    ppl = People(np.zeros(0, "datetime64[D]"))
    chains = finalise(ctx, build_chains(ctx, ppl))
    ph = build_phases(ctx, chains)
    loads = team_loads(ctx, ph, len(ctx.team_area))
    open_cla = loads[ctx.area_teams("CLA")].sum() + loads[ctx.area_teams("LEAVING_CARE")].sum()
    open_cp = loads[ctx.area_teams("CP_COURT")].sum()
    extra = {
        "MASH": max(3, children / 8000),
        "IRO": max(2, open_cla / 65 + open_cp / 90),
        "BUSINESS_SUPPORT": max(2, children / 7000),
    }
    wf = build_workforce(ctx, loads, extra)
    assign_positions(ctx, ph, wf)
    cpos = chain_positions(ph, len(chains["ref"]))
    inv = build_involvements(ctx, ph, wf)
    tables: dict[str, dict] = {}
    tables.update(frontdoor.build(ctx, chains, ppl, wf))
    chains["dob"] = ppl.dob[chains["person"]]
    tables.update(cin_cp.build(ctx, chains, wf, cpos))
    tables.update(care.build(ctx, chains, wf, cpos))
    tables.update(staff.build(ctx, wf, inv, chains["person"]))
    disabled = np.unique(
        chains["person"][
            np.isin(chains["cin_team"], ctx.area_teams("DISABLED")) & ~np.isnat(chains["cin_start"])
        ]
    )
    tables.update(people.build(ctx, people.referenced(tables), ppl.dob, disabled))
    return tables


def generate(
    out_dir: Path,
    authorities: int = 1,
    years: int = 6,
    end_date: date = date(2025, 3, 31),
    seed: int = 1,
    faults: str | None = None,
    la_codes: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    children: int | None = None,
    format_mix: float = 0.0,
) -> SynthReport:
    """Write synthetic extracts for `authorities` authorities (or `la_codes`) under out_dir."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    codes = list(la_codes) if la_codes else default_la_codes(authorities)
    if len(set(codes)) != len(codes) or not all(len(c) == 3 and c.isdigit() for c in codes):
        raise ValueError(f"la_codes must be distinct 3-digit codes: {codes}")
    if years < 1:
        raise ValueError("years must be >= 1")
    if not 0 <= format_mix <= 1:
        raise ValueError("format_mix must be in [0, 1]")
    spec = parse_faults(faults)
    contract = extract_contract()  # the generator writes case-management extracts, not returns
    leaves = set(leaf_tables(contract))
    say = progress or (lambda _msg: None)
    report = SynthReport(authorities=codes)
    manifest: list[dict] = []
    extract_date = end_date.isoformat()
    writer = CsvWriter()
    try:
        for k, code in enumerate(codes):
            size = children if children is not None else authority_size(code, seed)
            report.children_by_authority[code] = size
            ta = time.perf_counter()
            tables = simulate_authority(code, size, years, end_date, seed)
            streams = np.random.SeedSequence([seed, int(code), 11]).spawn(2)
            fmt_rng = np.random.Generator(np.random.PCG64(streams[0]))
            fault_rng = np.random.Generator(np.random.PCG64(streams[1]))
            file_faults = plan_file_faults(contract, spec, fault_rng) if k == 0 else {}
            for name, table in contract.items():
                cols = tables.pop(name, {})
                tbl = render_table(table, cols, fmt_rng, format_mix)
                del cols
                rel = Path(code) / extract_date / f"{name}.csv"
                path = out_dir / rel
                ff, ff_col = file_faults.get(name, ("", ""))
                records = []
                if spec.any and ff not in ("empty_file", "header_only_file", "missing_column"):
                    tbl, records = inject_rows(table, tbl, spec, fault_rng, name in leaves)
                line = ""
                value = ""
                if ff == "cp1252_file":
                    tbl, row, value = inject_cp1252(tbl, ff_col, fault_rng)
                    line = str(row + 2)
                elif ff == "extra_column":
                    tbl = add_extra_column(tbl)
                elif ff == "missing_column":
                    tbl = tbl.drop_columns([ff_col])
                headers = header_names(tbl.column_names, fmt_rng, format_mix)
                if ff == "empty_file":
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(b"")
                elif ff == "header_only_file":
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes((",".join(headers) + "\n").encode("utf-8"))
                else:
                    writer.write(tbl, path, headers)
                if ff == "cp1252_file":
                    path.write_bytes(path.read_bytes().decode("utf-8").encode("cp1252"))
                rows = 0 if ff in ("empty_file", "header_only_file") else tbl.num_rows
                report.rows_by_table[name] = report.rows_by_table.get(name, 0) + rows
                report.files += 1
                base = {
                    "la_code": code,
                    "extract_date": extract_date,
                    "table": name,
                    "file": rel.as_posix(),
                }
                for fault, row, col, val in records:
                    manifest.append(
                        {
                            **base,
                            "fault": fault,
                            "line": str(row + 2),
                            "column": col,
                            "value": manifest_value(table, col, val),
                            "expected": EXPECTED[fault],
                        }
                    )
                if ff:
                    whole_file = ff in ("empty_file", "header_only_file")
                    manifest.append(
                        {
                            **base,
                            "fault": ff,
                            "line": line,
                            "column": "" if whole_file else ff_col,
                            "value": manifest_value(table, ff_col, value)
                            if ff == "cp1252_file"
                            else "",
                            "expected": EXPECTED[ff],
                        }
                    )
                say(f"{code} {name}: {rows} rows")
                del tbl
            if k < spec.counts.get("duplicate_drop", 0):
                manifest.extend(_duplicate_drop(out_dir, code, end_date, contract))
                report.files += len(contract)
            del tables
            gc.collect()
            say(f"{code}: {size} children, {time.perf_counter() - ta:.1f}s ({k + 1}/{len(codes)})")
    finally:
        writer.close()
    if spec.any or faults:
        report.manifest_path = out_dir / "faults_manifest.csv"
        _write_manifest(report.manifest_path, manifest)
    report.faults_injected = len(manifest)
    report.seconds = time.perf_counter() - t0
    return report


def _duplicate_drop(out_dir: Path, code: str, end_date: date, contract) -> list[dict]:
    first = end_date.isoformat()
    second = (end_date + timedelta(days=DUPLICATE_DROP_DAYS)).isoformat()
    src, dst = out_dir / code / first, out_dir / code / second
    dst.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in contract:
        shutil.copyfile(src / f"{name}.csv", dst / f"{name}.csv")
        rows.append(
            {
                "fault": "duplicate_drop",
                "la_code": code,
                "extract_date": second,
                "table": name,
                "file": f"{code}/{second}/{name}.csv",
                "line": "",
                "column": "",
                "value": "",
                "expected": EXPECTED["duplicate_drop"],
            }
        )
    return rows


def _write_manifest(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


__all__ = [
    "FaultSpec",
    "SynthReport",
    "authority_size",
    "default_la_codes",
    "generate",
    "parse_faults",
    "simulate_authority",
]
