"""`cscw bench`: generate N authorities x Y years with the synthetic generator, run the real
pipeline (`cscw run`, one fresh process per run, as a user starts it) in a scratch folder, and
report per scenario: wall time, per-stage time (from the Dagster run's step events), rows per
second, peak memory, and the ratio to a DuckDB scan of the same files measured in the same bench.

Scenarios: first run; nothing new (the "up to date" fast path); one table of one authority
changed (a new drop folder holding that table, one row fewer); one authority added. Short
scenarios (nothing new, one table changed) are repeated `--repeat` times and reported as medians.
What each figure means and how it is measured: docs/performance.md.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from orchestration.lib.settings import REPO_ROOT

DOCS = REPO_ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
STAGES = ("ingest", "dbt", "gate", "publish")
SCENARIOS = ("first run", "nothing new", "one table changed", "one authority added")
MARKER = ".cscw-bench"
DEFAULT_END_DATE = date(2025, 3, 14)  # mid-month: a drop a day later does not complete a month


@dataclass
class Measure:
    scenario: str
    wall: float
    exit_code: int
    up_to_date: bool
    scan: float  # DuckDB scan of the landing area's CSVs, seconds
    rows: int  # rows in the landing area's CSVs (the scan's count)
    stages: dict = field(default_factory=dict)  # stage -> seconds (from the run's step events)
    steps: dict = field(default_factory=dict)  # step key -> seconds
    peak_pipeline_mb: float = (
        0.0  # the `cscw run` process (Dagster, ingestion, GX, publication): VmHWM
    )
    peak_children_mb: float = 0.0  # its largest child process (dbt): VmHWM sampled twice a second
    run_id: str | None = None
    log: str = ""


def stage_of(step_key: str) -> str:
    """The stage a Dagster step belongs to (orchestration/defs: ingest, transform, quality, publish)."""
    key = step_key.lower()
    # the identified outputs come after publication
    if "publish" in key or key.startswith("restricted"):
        return "publish"
    if "dbt" in key:
        return "dbt"
    if "gx_" in key or key.startswith("quality") or "drift" in key or "verdict" in key:
        return "gate"
    if key.startswith(("raw", "reference")) or "ingest" in key:
        return "ingest"
    return "gate"  # the other checks and quality assets (DfE findings, the report)


def duckdb_scan(landing: Path) -> tuple[float, int, int, int]:
    """(seconds, rows, files, bytes): every CSV under the landing area read once by DuckDB's
    read_csv (types sniffed as usual) into a count; a file it cannot type is read as text."""
    import duckdb

    files = sorted(landing.rglob("*.csv"))
    con = duckdb.connect()
    rows = 0
    started = time.perf_counter()
    for f in files:
        try:
            rows += con.execute("SELECT count(*) FROM read_csv(?)", [str(f)]).fetchall()[0][0]
        except duckdb.Error:
            rows += con.execute(
                "SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(f)]
            ).fetchall()[0][0]
    seconds = time.perf_counter() - started
    con.close()
    return seconds, rows, len(files), sum(f.stat().st_size for f in files)


class Scratch:
    """The bench's own working folder: landing, warehouse, publication, quality, Dagster."""

    def __init__(self, out: Path):
        self.out = out
        self.landing = out / "landing"
        self.logs = out / "logs"
        self.env = {
            **os.environ,
            "CSCW_HOME": str(out / "home"),
            "CSCW_LANDING": str(self.landing),
            "CSCW_WAREHOUSE": str(out / "warehouse.duckdb"),
            "CSCW_PUBLISH_DIR": str(out / "publish"),
            "CSCW_QUALITY_DIR": str(out / "quality"),
            "DAGSTER_HOME": str(out / "dagster"),
            # the bench writes each drop whole before it runs: nothing to wait for
            "CSCW_LANDING_SETTLE_SECONDS": "0",
        }
        self.env.pop("CSCW_ACCEPT_CHANGE", None)
        self._instance = None
        self.seen_runs: set[str] = set()

    def run(self, scenario: str, n: int) -> tuple[float, dict, str]:
        """One `cscw run` in a fresh process: (wall seconds, its exit code and peak memory, log file)."""
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{scenario.replace(' ', '_')}-{n}.log"
        result = self.logs / f"{scenario.replace(' ', '_')}-{n}.json"
        result.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "orchestration.lib.bench",
            "--child",
            str(result),
            "--",
            "run",
            "--landing",
            str(self.landing),
        ]
        started = time.perf_counter()
        with open(log, "w") as out:
            proc = subprocess.run(
                command,
                check=False,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=REPO_ROOT,
            )
        wall = time.perf_counter() - started
        child = (
            json.loads(result.read_text()) if result.exists() else {"exit_code": proc.returncode}
        )
        return wall, child, str(log)

    def new_run(self) -> str | None:
        """The Dagster run the last `cscw run` made, if it made one."""
        import dagster as dg

        if self._instance is None:
            os.environ["DAGSTER_HOME"] = self.env["DAGSTER_HOME"]
            self._instance = dg.DagsterInstance.get()
        records = self._instance.get_run_records(limit=1)
        run_id = records[0].dagster_run.run_id if records else None
        if run_id is None or run_id in self.seen_runs:
            return None
        self.seen_runs.add(run_id)
        return run_id

    def step_seconds(self, run_id: str) -> dict[str, float]:
        """Step key -> seconds between its STEP_START and STEP_SUCCESS (or failure) events."""
        started, seconds = {}, {}
        for entry in self._instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or not entry.step_key:
                continue
            kind = event.event_type_value
            if kind == "STEP_START":
                started[entry.step_key] = entry.timestamp
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and entry.step_key in started:
                seconds[entry.step_key] = entry.timestamp - started[entry.step_key]
        return seconds

    def close(self):
        if self._instance is not None:
            self._instance.dispose()


def measure(scratch: Scratch, scenario: str, n: int, say) -> Measure:
    scan, rows, _files, _bytes = duckdb_scan(scratch.landing)
    wall, child, log = scratch.run(scenario, n)
    text = Path(log).read_text(errors="replace")
    up_to_date = any(line.startswith("up to date: ") for line in text.splitlines())
    m = Measure(
        scenario,
        wall,
        child.get("exit_code", 1),
        up_to_date,
        scan,
        rows,
        log=log,
        peak_pipeline_mb=(child.get("self_hwm_kb") or child.get("self_maxrss_kb", 0)) / 1024,
        peak_children_mb=(child.get("children_hwm_kb") or child.get("children_maxrss_kb", 0))
        / 1024,
    )
    m.run_id = scratch.new_run()
    if m.run_id:
        m.steps = scratch.step_seconds(m.run_id)
        for step, seconds in m.steps.items():
            m.stages[stage_of(step)] = m.stages.get(stage_of(step), 0.0) + seconds
    say(
        f"  {scenario} #{n}: {wall:.1f} s, exit {m.exit_code}"
        + (" (up to date)" if m.up_to_date else "")
        + "".join(f", {s} {m.stages[s]:.1f} s" for s in STAGES if s in m.stages)
        + f"; DuckDB scan {scan:.2f} s of {rows:,} rows"
    )
    return m


def change_one_table(landing: Path, la_code: str, end_date: date, n: int) -> str:
    """A new drop for one authority, dated n days after the generated one, holding one leaf table
    (no other table refers to its rows) with its n-th last row removed."""
    from cscw_synth.faults import leaf_tables
    from orchestration.lib.contract import extract_contract

    source = landing / la_code / end_date.isoformat()
    table = next(
        t
        for t in sorted(leaf_tables(extract_contract()))
        if (source / f"{t}.csv").exists()
        and (source / f"{t}.csv").stat().st_size > 0
        and len((source / f"{t}.csv").read_bytes().splitlines()) > n + 1
    )
    lines = (source / f"{table}.csv").read_bytes().splitlines(keepends=True)
    del lines[-n]
    drop = landing / la_code / (end_date + timedelta(days=n)).isoformat()
    drop.mkdir(parents=True, exist_ok=True)
    (drop / f"{table}.csv").write_bytes(b"".join(lines))
    return table


def median_of(measures: list[Measure]) -> dict:
    def med(values):
        return statistics.median(values) if values else None

    real = [m for m in measures if m.run_id]
    return {
        "scenario": measures[0].scenario,
        "runs": len(measures),
        "wall": med([m.wall for m in measures]),
        "stages": {s: med([m.stages.get(s, 0.0) for m in real]) for s in STAGES} if real else {},
        "other": med([m.wall - sum(m.stages.values()) for m in real]) if real else None,
        "rows": measures[-1].rows,
        "rows_per_s": med([m.rows / m.wall for m in measures]),
        "scan": med([m.scan for m in measures]),
        "ratio": med([m.wall / m.scan for m in measures]),
        "peak_pipeline_mb": max(m.peak_pipeline_mb for m in measures),
        "peak_children_mb": max(m.peak_children_mb for m in measures),
        "exit_codes": sorted({m.exit_code for m in measures}),
        "up_to_date": all(m.up_to_date for m in measures),
        "run_ids": [m.run_id for m in measures],
    }


def run_bench(
    out: Path,
    authorities: int,
    years: int,
    children: int | None,
    repeat: int = 3,
    end_date: date = DEFAULT_END_DATE,
    seed: int = 1,
    say=print,
) -> dict:
    from cscw_synth import default_la_codes, generate

    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():  # never empty a folder the bench did not make
            raise ValueError(f"{out} is not empty and is not a bench folder; choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("scratch folder of cscw bench: emptied by the next bench run\n")
    scratch = Scratch(out)
    say(
        f"bench: {authorities} authorities x {years} years"
        + (f", {children:,} children each" if children else "")
        + f", in {out}"
    )
    started = time.perf_counter()
    report = generate(
        scratch.landing,
        authorities=authorities,
        years=years,
        end_date=end_date,
        seed=seed,
        children=children,
    )
    generated = time.perf_counter() - started
    scan, rows, files, size = duckdb_scan(scratch.landing)
    say(
        f"generated {rows:,} rows in {files} files ({size / 1e6:.0f} MB) in {generated:.0f} s; "
        f"DuckDB scan {scan:.2f} s"
    )
    codes = report.authorities
    results: dict[str, list[Measure]] = {s: [] for s in SCENARIOS}

    def keep(m: Measure) -> None:  # every run as it ends, so an interrupted bench keeps its figures
        results[m.scenario].append(m)
        (out / "runs.json").write_text(
            json.dumps(
                {s: [x.__dict__ for x in ms] for s, ms in results.items()}, indent=2, default=str
            )
            + "\n"
        )

    try:
        keep(measure(scratch, "first run", 1, say))
        for n in range(1, repeat + 1):
            keep(measure(scratch, "nothing new", n, say))
        changed = []
        for n in range(1, repeat + 1):
            changed.append(change_one_table(scratch.landing, codes[0], end_date, n))
            keep(measure(scratch, "one table changed", n, say))
        added = next(c for c in default_la_codes(len(codes) + 50) if c not in codes)
        generate(
            scratch.landing,
            la_codes=[added],
            years=years,
            end_date=end_date,
            seed=seed,
            children=children,
        )
        keep(measure(scratch, "one authority added", 1, say))
    finally:
        scratch.close()
    summary = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "size": {
            "authorities": authorities,
            "years": years,
            "children": children,
            "children_by_authority": report.children_by_authority,
            "rows": rows,
            "files": files,
            "csv_mb": round(size / 1e6, 1),
            "generate_s": round(generated, 1),
            "end_date": end_date.isoformat(),
            "changed_table": changed[0] if changed else None,
            "added_authority": added,
        },
        "scan_s": scan,
        "scenarios": [median_of(results[s]) for s in SCENARIOS],
        "runs": {s: [m.__dict__ for m in ms] for s, ms in results.items()},
    }
    (out / "bench.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
    return summary


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    return f"{os.cpu_count()} cores, {mem:.0f} GB, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def _f(value, digits=1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def render(summary: dict) -> str:
    size = summary["size"]
    children = (
        f"{size['children']:,} children each" if size["children"] else "generator's own sizes"
    )
    lines = [
        f"Measured {summary['measured_at']} on {summary['machine']}.",
        (
            f"Size: {size['authorities']} authorities x {size['years']} years ({children}), "
            f"{size['rows']:,} rows in {size['files']} CSV files ({size['csv_mb']} MB) at the first run; "
            f"DuckDB scan of those files {summary['scan_s']:.2f} s."
        ),
        (
            f"One table changed: `{size['changed_table']}` of the first authority; authority added: "
            f"{size['added_authority']}."
        ),
        "",
        (
            "| scenario | runs | wall s | ingest s | dbt s | gate/GX s | publish s | start-up & other s "
            "| rows/s | peak MB pipeline | peak MB dbt | x DuckDB scan | exit | up to date |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for s in summary["scenarios"]:
        stages = s["stages"] or {}
        lines.append(
            f"| {s['scenario']} | {s['runs']} | {_f(s['wall'])} | "
            + " | ".join(_f(stages.get(st)) for st in STAGES)
            + f" | {_f(s['other'])} | {_f(s['rows_per_s'], 0)} | {_f(s['peak_pipeline_mb'], 0)} | "
            f"{_f(s['peak_children_mb'], 0)} | {_f(s['ratio'])} | {','.join(map(str, s['exit_codes']))} | "
            f"{'yes' if s['up_to_date'] else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def write_docs(section: str, docs: Path = DOCS, command: str = "") -> None:
    """Replace the marked section of docs/performance.md (create the markers if missing)."""
    text = docs.read_text() if docs.exists() else "# Performance\n\n"
    block = f"{START}\n" + (f"`{command}`\n\n" if command else "") + section + f"{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    docs.write_text(text)


def _hwm_kb(pid: int | str) -> int:
    """Peak resident memory of one process since it started its program (VmHWM), in kB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _ChildPeaks:
    """Samples the VmHWM of this process's descendants (dbt) twice a second. getrusage's
    RUSAGE_CHILDREN maxrss is not enough alone: Linux carries the parent's peak over a fork and
    exec, so a small child started by a large process reports the parent's size."""

    def __init__(self, every: float = 0.5):
        import threading

        self.peak, self.every, self.stop = 0, every, threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _descendants(self) -> list[str]:
        parents: dict[str, list[str]] = {}
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents.setdefault(fields[1], []).append(status.parent.name)
        found, todo = [], [str(os.getpid())]
        while todo:
            for child in parents.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def _loop(self):
        while not self.stop.wait(self.every):
            for pid in self._descendants():
                self.peak = max(self.peak, _hwm_kb(pid))

    def __enter__(self):
        if Path("/proc/self/status").exists():
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()


def _child(argv: list[str]) -> int:
    """Inside the measured process: `cscw run`, then its exit code and peak memory to a file."""
    import resource

    result = Path(argv[argv.index("--child") + 1])
    args = argv[argv.index("--") + 1 :]
    from orchestration.cli import main

    code = 1
    peaks = _ChildPeaks()
    try:
        with peaks:
            code = main(args)
    finally:
        sys.stdout.flush()
        result.write_text(
            json.dumps(
                {
                    "exit_code": code,
                    "self_hwm_kb": _hwm_kb("self"),
                    "children_hwm_kb": peaks.peak,
                    "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                    "children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                }
            )
        )
    return code


if __name__ == "__main__":
    sys.exit(_child(sys.argv))
