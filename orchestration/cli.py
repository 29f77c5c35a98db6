"""`cscw`: run the warehouse from the command line. Every run goes through Dagster and is
recorded in the Dagster instance (DAGSTER_HOME), so `cscw ui` shows it afterwards."""

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from orchestration.lib.settings import apply_settings, load_settings, prepare_dagster_home

DEMO_CHILDREN = 12_000  # a small authority keeps the demo to a minute or two
DEMO_YEARS = 3


def _settings_from_args(args):
    overrides = {
        "CSCW_LANDING": getattr(args, "landing", None),
        "CSCW_WAREHOUSE": getattr(args, "warehouse", None),
        "CSCW_PUBLISH_DIR": getattr(args, "publish", None),
    }
    for name, value in overrides.items():
        if value:
            os.environ[name] = str(Path(value).expanduser().resolve())
    settings = load_settings()
    apply_settings(settings)
    prepare_dagster_home(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return settings


def run_pipeline(settings) -> int:
    """Materialise every asset as one Dagster run; 0 if published, 1 if anything failed."""
    import dagster as dg

    from orchestration.definitions import defs

    if not settings.landing.is_dir():
        print(f"error: landing area {settings.landing} does not exist", file=sys.stderr)
        return 2
    if settings.uses_demo_key:
        print("note: CSCW_PSEUDONYM_KEY is not set; using the public demo key (synthetic data only)")
    started = time.perf_counter()
    with dg.DagsterInstance.get() as instance:
        result = defs.get_job_def("warehouse_job").execute_in_process(instance=instance, raise_on_error=False)
        _print_summary(result, settings, time.perf_counter() - started)
    return 0 if result.success else 1


def _print_summary(result, settings, seconds: float) -> None:
    from orchestration.lib.publish import current_snapshot

    materialized = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
    checks = [e.event_specific_data for e in result.all_events
              if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    print(f"\nRun {result.run_id} {'succeeded' if result.success else 'FAILED'} in {seconds:.0f} s")
    print(f"  assets materialised: {len(materialized)}")
    for c in checks:
        state = "passed" if c.passed else f"failed ({c.severity.value})"
        print(f"  check {c.asset_key.to_user_string()}:{c.check_name}: {state}")
    failures = [e for e in result.all_events if e.is_step_failure]
    for e in failures:
        error = e.event_specific_data.error
        print(f"  step {e.step_key} failed: {error.message.strip().splitlines()[0] if error else ''}")
    if not result.success:
        print("  Nothing was published; the previous published snapshot is unchanged.")
    snapshot = current_snapshot(settings.publish_dir)
    print(f"  warehouse:  {settings.warehouse}")
    print(f"  published:  {settings.publish_dir / 'current'}" + (f" -> {snapshot.name}" if snapshot else " (nothing yet)"))
    print(f"  quality:    {settings.quality_dir / 'data_docs'}")
    print(f"  Dagster:    DAGSTER_HOME={settings.dagster_home}  (open with `make ui`)")
    if snapshot and result.success:
        _print_scorecard_sample(snapshot)


def _print_scorecard_sample(snapshot: Path, rows: int = 8) -> None:
    import duckdb

    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        sample = con.execute(
            """SELECT la_code, kpi_id, period_label, numerator, denominator, round(value, 1), target, rag, direction
               FROM kpi_scorecard WHERE breakdown = 'la' AND period_type = 'month'
               ORDER BY la_code, kpi_id, period_start DESC LIMIT ?""",
            [rows],
        ).fetchall()
    finally:
        con.close()
    header = ("la", "measure", "period", "num", "den", "value", "target", "rag", "direction")
    widths = (4, 18, 9, 6, 6, 6, 6, 6, 10)
    print()
    for row in [header] + sample:
        cells = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row]
        print("  " + " ".join(c[:w].ljust(w) for c, w in zip(cells, widths)))


def cmd_run(args) -> int:
    return run_pipeline(_settings_from_args(args))


def cmd_synth(args) -> int:
    from orchestration.lib.synth import generate

    report = generate(
        Path(args.out), authorities=args.authorities, years=args.years,
        end_date=date.fromisoformat(args.end_date), seed=args.seed, faults=args.faults,
        children=args.children, format_mix=args.format_mix, progress=print if args.verbose else None,
    )
    print(f"wrote {sum(report.rows_by_table.values())} rows in {report.files} files "
          f"for {len(report.authorities)} authorities in {report.seconds:.1f} s")
    if report.manifest_path:
        print(f"fault manifest: {report.manifest_path}")
    return 0


def cmd_demo(args) -> int:
    import shutil

    from orchestration.lib.synth import generate

    settings = _settings_from_args(args)
    if settings.landing.exists():
        shutil.rmtree(settings.landing)
    print(f"Writing a synthetic authority ({DEMO_CHILDREN} children, {DEMO_YEARS} years) to {settings.landing}")
    generate(settings.landing, authorities=1, years=DEMO_YEARS, end_date=date(2025, 3, 31), seed=1,
             children=DEMO_CHILDREN)
    return run_pipeline(settings)


def cmd_ui(args) -> int:
    settings = _settings_from_args(args)
    print(f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={settings.dagster_home}); Ctrl-C stops it")
    dagster = Path(sys.executable).parent / "dagster"
    return subprocess.call([str(dagster), "dev", "-m", "orchestration.definitions", "-p", str(args.port)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="cscw", description="CSC Warehouse: children's social care KPIs")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest a landing area, build, check and publish")
    run.add_argument("--landing", required=True, help="landing area: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv")
    run.add_argument("--warehouse", help="DuckDB warehouse file (default $CSCW_WAREHOUSE or .cscw/warehouse.duckdb)")
    run.add_argument("--publish", help="publish folder (default $CSCW_PUBLISH_DIR or .cscw/publish)")
    run.set_defaults(func=cmd_run)

    synth = sub.add_parser("synth", help="write synthetic council extracts")
    synth.add_argument("--out", required=True)
    synth.add_argument("--authorities", type=int, default=1)
    synth.add_argument("--years", type=int, default=6)
    synth.add_argument("--end-date", default="2025-03-31")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--children", type=int, default=None, help="0-17 population of every authority")
    synth.add_argument("--faults", default=None, help="e.g. duplicate_key=0.01,empty_file=1 (see FAULTS.md)")
    synth.add_argument("--format-mix", type=float, default=0.0,
                       help="share of values written in the other accepted date/flag spellings (0-1)")
    synth.add_argument("--verbose", action="store_true", help="one line per table written")
    synth.set_defaults(func=cmd_synth)

    demo = sub.add_parser("demo", help="synthetic authority -> full pipeline -> summary")
    demo.set_defaults(func=cmd_demo)

    ui = sub.add_parser("ui", help="open the Dagster UI on the same instance")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
