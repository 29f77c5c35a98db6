"""`cscw`: run the warehouse from the command line. Every run goes through Dagster and is
recorded in the Dagster instance (DAGSTER_HOME), so `cscw ui` shows it afterwards."""

import argparse
import contextlib
import dataclasses
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from orchestration.lib.settings import ENGINES, apply_settings, load_settings, prepare_dagster_home

DEMO_CHILDREN = 12_000  # a small authority keeps the demo to a minute or two
DEMO_YEARS = 3


def _settings_from_args(args):
    overrides = {
        "CSCW_LANDING": getattr(args, "landing", None),
        "CSCW_WAREHOUSE": getattr(args, "warehouse", None),
        "CSCW_PUBLISH_DIR": getattr(args, "publish", None),
    }
    if getattr(args, "engine", None):
        os.environ["CSCW_ENGINE"] = args.engine
    for name, value in overrides.items():
        if value:
            os.environ[name] = str(Path(value).expanduser().resolve())
    settings = load_settings()
    apply_settings(settings)
    prepare_dagster_home(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    return settings


def run_pipeline(
    settings,
    accept_change: list[str] | None = None,
    per_authority: bool = False,
    sample: bool = False,
) -> int:
    """Materialise every asset as one Dagster run (`per_authority`: dbt rebuilds only the
    authorities with a new drop, defs/transform/dbt_assets.py; `sample`: end with the
    scorecard's latest month, one line per measure: the demo). Exit code (README): 0
    everything up to date or published; 3 some authorities held back, the rest published; 1
    nothing published (every authority held back, or the run failed); 2 usage or configuration
    error."""
    if not settings.landing.is_dir():
        print(f"error: landing area {settings.landing} does not exist", file=sys.stderr)
        return 2
    import uuid

    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.defs.transform.dbt_assets import BUILD_TAG
    from orchestration.lib.build_scope import PER_AUTHORITY_TAG

    if settings.uses_demo_key:
        print(
            "note: CSCW_PSEUDONYM_KEY is not set; using the public demo key (synthetic data only)"
        )
    started = time.perf_counter()
    run_id = str(uuid.uuid4())
    # dbt's output (dagster-dbt echoes it to stdout) and Dagster's own log lines go to the run's
    # log file, not to the terminal: the terminal gets the progress display and the summary.
    log_path = settings.log_dir / f"run-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Dagster's console logger writes to the log file, at INFO (CSCW_LOG_LEVEL=DEBUG for every
    # event); it is created inside the run, so it takes the redirected stderr.
    run_config = {
        "loggers": {"console": {"config": {"log_level": os.environ.get("CSCW_LOG_LEVEL", "INFO")}}},
    }
    out = sys.stdout
    with dg.DagsterInstance.get() as instance:
        _recover_killed_runs(instance)
        tags = {**_accept_change_tags(accept_change), **_owner_tags()}
        if per_authority:
            tags[PER_AUTHORITY_TAG] = "true"
        tags[ENGINE_TAG] = settings.engine
        print(f"Run {run_id}: ingest, build, check, publish (details: `make ui`)")
        out.flush()
        with (
            open(log_path, "a", encoding="utf-8", buffering=1) as log,  # line by line: tail -f
            _Progress(instance, run_id, started, out, per_authority, settings.engine),
            contextlib.redirect_stdout(log),
            contextlib.redirect_stderr(log),
        ):
            result = defs.resolve_job_def("warehouse_job").execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_id=run_id,
                run_config=run_config,
                tags=tags,
            )
        verdicts = run_verdicts(result)
        run = instance.get_run_by_id(run_id)
        _print_summary(
            result,
            settings,
            time.perf_counter() - started,
            verdicts,
            log_path,
            sample=sample,
            dbt_build=run.tags.get(BUILD_TAG) if run else None,
        )
    from orchestration.lib.quality.verdicts import exit_code

    return exit_code(result.success, verdicts)


OWNER_TAG = "cscw/pid"  # the `cscw run` process that executes the run (in process)


def _owner_tags() -> dict:
    import socket

    return {OWNER_TAG: str(os.getpid()), "cscw/host": socket.gethostname()}


def _recover_killed_runs(instance) -> None:
    """Runs of `cscw run` that a kill stopped (SIGKILL, a crash, a power cut) stay "started" in the
    Dagster instance, and keep the `warehouse` pool slot their running step had claimed, so the
    next run would wait for it forever. This process holds the run lock, so no other `cscw run`
    is executing: every unfinished run started by one on this host is dead. Mark each failed and
    free its slots; also free slots claimed by runs that have finished. Runs started from the UI
    (no owner tag) are left alone."""
    import socket

    import dagster as dg

    unfinished = [
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.CANCELING,
    ]
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=unfinished)):
        if OWNER_TAG not in run.tags or run.tags.get("cscw/host") != socket.gethostname():
            continue
        instance.report_run_failed(
            run, f"process {run.tags[OWNER_TAG]} running it was killed before it finished"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        print(
            f"note: run {run.run_id} was killed (process {run.tags[OWNER_TAG]}) before it finished: "
            "marked failed; this run rebuilds everything it had started"
        )
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return
    for pool in storage.get_concurrency_keys():
        for run_id in storage.get_concurrency_info(pool).active_run_ids:
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)


def _accept_change_tags(accept_change: list[str] | None) -> dict:
    """`--accept-change LA[:measure]` values as the run tag the drift check reads (recorded with the run)."""
    from orchestration.lib.quality.drift import ACCEPT_TAG, parse_accepted

    accepted = parse_accepted(accept_change)
    if accepted:
        print(
            f"accepting drift against the last publication for: {', '.join(str(a) for a in accepted)}"
        )
    return {ACCEPT_TAG: ",".join(str(a) for a in accepted)} if accepted else {}


def run_verdicts(result) -> list[dict]:
    """The gate's verdicts ([{la_code, verdict, reasons}]) from its materialisation in this run."""
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        if materialization.asset_key.path == ["quality", "verdicts"]:
            return list(materialization.metadata["verdicts"].value)
    return []


class _Progress:
    """The run's progress while it runs (a background thread): reads the events recorded since
    the last look (a cursor into the run's event log, never the whole log again) and feeds them
    to the display (orchestration/lib/console.py)."""

    def __init__(
        self,
        instance,
        run_id: str,
        started: float,
        out,
        per_authority: bool,
        engine: str,
        every: float = 0.5,
    ):
        import threading

        from orchestration.lib.console import ProgressView, RunTracker

        self.instance, self.run_id, self.every = instance, run_id, every
        models, tests = _dbt_totals()
        self.tracker = RunTracker(
            models=models, tests=tests, previous=_previous_steps(instance, per_authority, engine)
        )
        self.view = ProgressView(self.tracker, out, started)
        self.cursor = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self.view.__enter__()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)
        self._poll()
        if self.tracker.stage >= 0:
            self.view.say("stage", self.tracker.finish_stage(time.time())[1])
        self.view.__exit__(*exc)

    def _loop(self):
        while not self.stop.wait(self.every):
            self._poll()

    def _poll(self):
        from orchestration.lib.console import event_of

        while True:
            try:
                batch = self.instance.get_records_for_run(
                    self.run_id, cursor=self.cursor, limit=1000
                )
            except Exception:  # noqa: BLE001 - storage busy: try again on the next tick
                return
            for record in batch.records:
                event = event_of(record.event_log_entry)
                if event:
                    for kind, text in self.tracker.feed(event):
                        self.view.say(kind, text)
            self.cursor = batch.cursor
            if not batch.has_more:
                break
        self.view.refresh()


def _dbt_totals() -> tuple[int, int]:
    """How many dbt assets (models and seeds) and dbt tests (asset checks) the dbt step builds."""
    from orchestration.defs.transform.dbt_assets import warehouse_dbt_models

    return len(warehouse_dbt_models.keys), len(warehouse_dbt_models.check_keys)


def _previous_steps(instance, per_authority: bool, engine: str) -> dict[str, float]:
    """Seconds each step took in the last successful run of warehouse_job like this one (the
    estimate's basis): per authority or full, since a per-authority build of one authority takes
    a fraction of a full one at a hub's size, and on the same engine (Spark's build takes many
    times DuckDB's). Any kind when none is alike; empty on a first run."""
    import dagster as dg

    runs = instance.get_runs(
        filters=dg.RunsFilter(job_name="warehouse_job", statuses=[dg.DagsterRunStatus.SUCCESS]),
        limit=RUNS_LOOKED_AT,
    )
    run = like_this_run(runs, per_authority, engine)
    if run is None:
        return {}
    return {
        s.step_key: s.end_time - s.start_time
        for s in instance.get_run_step_stats(run.run_id)
        if s.start_time and s.end_time
    }


RUNS_LOOKED_AT = 20  # the newest successful runs searched for one of the same kind
ENGINE_TAG = "cscw/engine"  # the engine dbt built on (runs before the tag: DuckDB)


def like_this_run(runs: list, per_authority: bool, engine: str = ENGINES[0]):
    """The newest of `runs` (newest first) built the same way, else the newest, else None."""
    from orchestration.lib.build_scope import PER_AUTHORITY_TAG

    alike = [
        r
        for r in runs
        if (r.tags.get(PER_AUTHORITY_TAG) == "true") == per_authority
        and r.tags.get(ENGINE_TAG, ENGINES[0]) == engine
    ]
    return (alike or runs or [None])[0]


FAILED_CHECKS_SHOWN = 15  # more are counted, and listed in the data-quality report


def _print_summary(
    result,
    settings,
    seconds: float,
    verdicts: list[dict] | None = None,
    log_path: Path | None = None,
    sample: bool = False,
    dbt_build: str | None = None,
) -> None:
    """A few lines whatever the size of the run: counts, what failed (every failed step with its
    error's first lines, the first failed checks), each authority's verdict, where things are."""
    from orchestration.lib.publish import current_snapshot, read_manifest
    from orchestration.lib.publish_postgres import postgres_target

    materialized = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
    checks = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    print(f"\nRun {result.run_id} {'succeeded' if result.success else 'FAILED'} in {seconds:.0f} s")
    groups: dict[str, int] = {}
    for key in materialized:
        groups[key.split("/")[0]] = groups.get(key.split("/")[0], 0) + 1
    print(
        f"  assets materialised: {len(materialized)}"
        + (f" ({', '.join(f'{g} {n}' for g, n in sorted(groups.items()))})" if groups else "")
    )
    if dbt_build:
        print(f"  dbt build: {dbt_build}")
    failed = [c for c in checks if not c.passed]
    suites = [c for c in checks if c.check_name.startswith("gx_") and c.passed]
    print(
        f"  checks: {len(checks) - len(failed)} passed, {len(failed)} not passed"
        + (
            f" (quality gate suites passed: {', '.join(c.check_name for c in suites)})"
            if suites
            else ""
        )
    )
    for c in failed[:FAILED_CHECKS_SHOWN]:
        print(f"    {c.asset_key.to_user_string()}:{c.check_name}: failed ({c.severity.value})")
    if len(failed) > FAILED_CHECKS_SHOWN:
        print(
            f"    ... and {len(failed) - FAILED_CHECKS_SHOWN} more not passed "
            "(all of them in the data-quality report below)"
        )
    for e in result.all_events:
        if e.is_step_failure:
            lines = _error_lines(e.event_specific_data.error)
            print(f"  step {e.step_key} failed: {lines[0] if lines else ''}")
            for line in lines[1:]:
                print(f"      {line}")
    for line in _ignored_lines(result):
        print(line)
    published_now = "publish/snapshot" in materialized
    _print_verdicts(verdicts or [], published_now)
    if not published_now:
        print("  Nothing was published; the previous published snapshot is unchanged.")
    elif not result.success:
        print("  The file snapshot was published; a later step failed (see above).")
    snapshot = current_snapshot(settings.publish_dir)
    manifest = read_manifest(snapshot) if snapshot else {}
    if published_now and manifest:
        tables = manifest.get("tables", {})
        print(
            f"  published {len(tables)} tables, {sum(tables.values()):,} rows "
            "(rows per table: manifest.json of the snapshot)"
        )
        supp = manifest.get("suppression") or {}
        if supp.get("below") is not None:
            print(
                f"  scorecard rows suppressed (team/service area under {supp['below']}): {supp.get('rows_suppressed') or 0:,}"
            )
    print(f"  warehouse:  {settings.warehouse}")
    print(
        f"  published:  {settings.publish_dir / 'current'}"
        + (f" -> {snapshot.name}" if snapshot else " (nothing yet)")
    )
    if snapshot:
        print(f"  DuckDB:     {snapshot / 'cscw.duckdb'}")
        print(f"  Parquet:    {snapshot / 'parquet'}")
        if (snapshot / "scorecard.html").exists():
            print(f"  scorecard:  {(snapshot / 'scorecard.html').as_uri()}")
    target = postgres_target()
    if target:
        state = "loaded this run" if "publish/postgres" in materialized else "NOT loaded this run"
        print(f"  PostgreSQL: {target.safe_dsn} schema {target.schema} ({state})")
    if settings.manager_lists:  # CSCW_MANAGER_LISTS: identified workbooks, apart from what BI reads
        state = (
            "written this run"
            if "restricted_outputs/manager_lists" in materialized
            else "NOT written this run"
        )
        print(
            f"  lists:      {settings.restricted_dir / 'lists'} (IDENTIFIED AND RESTRICTED; {state})"
        )
    report = settings.quality_dir / "report" / "index.html"
    print(
        f"  quality:    {report.as_uri() if report.exists() else settings.quality_dir / 'data_docs'}"
    )
    print(f"  Dagster:    DAGSTER_HOME={settings.dagster_home}  (open with `make ui`)")
    if snapshot and published_now and sample:
        _print_scorecard_sample(snapshot)
    if log_path:
        print(f"  log:        {log_path}  (dbt's and Dagster's own output of this run)")


def _ignored_lines(result) -> list[str]:
    """The landing paths ingestion did not use (a folder not in the layout, a symbolic link out of
    the landing area, a file it does not know): counted, the first few named with the reason.
    Without this line a landing of nothing usable ends in a quiet success."""
    for e in result.get_asset_materialization_events():
        if e.asset_key.path[0] == "raw_meta":
            return ignored_lines(e.event_specific_data.materialization.metadata)
    return []


def ignored_lines(metadata: dict) -> list[str]:
    """The summary's lines for the ingest step's metadata `paths_ignored` and `paths_ignored_first`."""
    count = metadata["paths_ignored"].value if "paths_ignored" in metadata else 0
    if not count:
        return []
    first = (
        metadata["paths_ignored_first"].value.splitlines()
        if "paths_ignored_first" in metadata
        else []
    )
    where = "every one with why: table raw_meta.landing_ignored"
    lines = [f"  landing: {count} path{'s' if count != 1 else ''} not used ({where})"]
    lines += [f"    {path[:200]}" for path in first]
    if count > len(first):
        lines.append(f"    ... and {count - len(first)} more")
    return lines


def _print_verdicts(verdicts: list[dict], published_now: bool) -> None:
    """Each authority's verdict; the held-back ones with why, and what BI still shows for them."""
    if not verdicts:
        return
    by = {
        name: [v["la_code"] for v in verdicts if v["verdict"] == name]
        for name in ("published", "unchanged", "held_back")
    }
    print(
        f"  authorities: {len(by['published'])} published (new drop), {len(by['unchanged'])} unchanged "
        f"(no new drop), {len(by['held_back'])} held back"
    )
    if by["published"]:
        print(f"    published: {', '.join(by['published'])}")
    if by["unchanged"]:
        print(f"    unchanged: {', '.join(by['unchanged'])}")
    kept = (
        "its previously published rows stay in the new snapshot (none if it never published)"
        if published_now
        else "nothing was published"
    )
    for v in verdicts:
        if v["verdict"] == "held_back":
            print(f"    HELD BACK {v['la_code']} ({kept}): {v['reasons']}")


def _error_lines(error, limit: int = 8) -> list[str]:
    """The first lines of the innermost error message (Dagster wraps the asset's own error, which
    says what to do); of a failed dbt command, the errors dbt logged rather than the preamble."""
    message = ""
    while error is not None:
        message = error.message.strip() or message
        error = error.cause
    marker = "Errors parsed from dbt logs:"
    if marker in message:
        message = message.split(marker, 1)[1]
    lines = [line.strip()[:200] for line in message.splitlines() if line.strip()]
    return lines[:limit]


def _print_scorecard_sample(snapshot: Path) -> None:
    """Every measure at authority level for the latest month (one line each, by priority area)."""
    import duckdb

    con = duckdb.connect(str(snapshot / "cscw.duckdb"), read_only=True)
    try:
        sample = con.execute(
            """SELECT la_code, kpi_id, period_label, numerator, denominator, round(value, 1),
                      coalesce(target::varchar, target_low || '-' || target_high), rag, direction
               FROM kpi_scorecard
               WHERE breakdown = 'la' AND period_type = 'month'
               QUALIFY period_start = max(period_start) OVER (PARTITION BY la_code)
               ORDER BY la_code, family, kpi_id"""
        ).fetchall()
    finally:
        con.close()
    header = ("la", "measure", "period", "num", "den", "value", "target", "rag", "direction")
    widths = (4, 36, 9, 7, 7, 7, 7, 6, 10)
    print()
    for row in [header] + sample:
        cells = ["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in row]
        print("  " + " ".join(c[:w].ljust(w) for c, w in zip(cells, widths)))


def cmd_run(args) -> int:
    try:  # a bad setting fails here, with exit code 2, not halfway through a run
        settings = _settings_from_args(args)
        from orchestration.lib.publish import publish_options
        from orchestration.lib.publish_postgres import postgres_target
        from orchestration.lib.quality.drift import parse_accepted

        publish_options()
        postgres_target()
        parse_accepted(args.accept_change)
    except ValueError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    if settings.engine == "spark":
        from orchestration.lib.engines.spark_build import missing_for_spark

        if why := missing_for_spark():
            print(f"configuration error: engine spark: {why}", file=sys.stderr)
            return 2
    from orchestration.lib.fingerprint import (
        run_unless_up_to_date,  # no new input: "up to date" in seconds
    )

    return _locked(
        settings,
        lambda: run_unless_up_to_date(settings, args.accept_change, args.force, run_pipeline),
    )


def _locked(settings, work) -> int:
    """`work()` holding the warehouse's run lock (orchestration/lib/runlock.py): exit code 2 at
    once, with who holds it, if another run does or another process has the warehouse open."""
    from orchestration.lib.runlock import WarehouseBusy, check_warehouse_free, run_lock

    try:
        with run_lock(settings.warehouse):
            check_warehouse_free(
                settings.warehouse
            )  # e.g. a dbt left over by a killed older version
            return work()
    except WarehouseBusy as busy:  # raised before work() starts, never by it
        print(f"error: {busy}", file=sys.stderr)
        return 2


def cmd_synth(args) -> int:
    from cscw_synth import generate

    report = generate(
        Path(args.out),
        authorities=args.authorities,
        years=args.years,
        end_date=date.fromisoformat(args.end_date),
        seed=args.seed,
        faults=args.faults,
        children=args.children,
        format_mix=args.format_mix,
        progress=print if args.verbose else None,
    )
    print(
        f"wrote {sum(report.rows_by_table.values())} rows in {report.files} files "
        f"for {len(report.authorities)} authorities in {report.seconds:.1f} s"
    )
    if report.manifest_path:
        print(f"fault manifest: {report.manifest_path}")
    return 0


def cmd_demo(args) -> int:
    import shutil

    from cscw_synth import generate

    settings = _settings_from_args(args)

    def demo() -> int:  # under the run lock: a running run may be reading this landing area
        if settings.landing.exists():
            shutil.rmtree(settings.landing)
        print(
            f"Writing a synthetic authority ({DEMO_CHILDREN} children, {DEMO_YEARS} years) to {settings.landing}"
        )
        generate(
            settings.landing,
            authorities=1,
            years=DEMO_YEARS,
            end_date=date(2025, 3, 31),
            seed=1,
            children=DEMO_CHILDREN,
        )
        # the files were written whole just now, by this process: no need to wait for them to settle
        written = dataclasses.replace(settings, landing_settle_seconds=0)
        apply_settings(written)
        return run_pipeline(written, sample=True)

    return _locked(settings, demo)


def cmd_bench(args) -> int:
    from orchestration.lib import bench

    out = (
        Path(args.out).expanduser().resolve()
        if args.out
        else (
            bench.REPO_ROOT
            / ".cscw"
            / "bench"
            / f"{args.authorities}x{args.years}x{args.children or 'default'}"
        )
    )
    try:
        summary = bench.run_bench(
            out,
            args.authorities,
            args.years,
            args.children,
            repeat=args.repeat,
            end_date=date.fromisoformat(args.end_date),
            seed=args.seed,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    table = bench.render(summary)
    print("\n" + table)
    if args.write_docs:
        bench.write_docs(
            table,
            Path(args.docs) if args.docs else bench.DOCS,
            f"cscw bench --authorities {args.authorities} --years {args.years}"
            + (f" --children {args.children}" if args.children else "")
            + f" --repeat {args.repeat}",
        )
        print(f"written to {args.docs or bench.DOCS}")
    ok = all(set(s["exit_codes"]) <= {0, 3} for s in summary["scenarios"])
    return 0 if ok and summary["scenarios"][1]["up_to_date"] else 1


def cmd_lists(args) -> int:
    """The managers' overdue lists of one authority from the published snapshot, identities
    restored from the warehouse's restricted schema (lib/manager_lists.py), under the run lock."""
    import duckdb

    from orchestration.lib.manager_lists import ListsError, write_lists
    from orchestration.lib.publish import current_snapshot

    settings = _settings_from_args(args)

    # under the run lock: no run is publishing or writing the warehouse meanwhile
    def lists() -> int:
        snapshot = current_snapshot(settings.publish_dir)
        if snapshot is None or not settings.warehouse.is_file():
            print(
                f"error: nothing published yet in {settings.publish_dir} (run `cscw run` first)",
                file=sys.stderr,
            )
            return 2
        con = duckdb.connect(str(settings.warehouse), read_only=True)
        try:
            result = write_lists(con, snapshot, settings.restricted_dir, args.la, args.team)
        except ListsError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            con.close()
        print(
            f"IDENTIFIED AND RESTRICTED: children's case-management ids and workers' names, written to "
            f"the restricted folder {result.folder} (not the BI snapshot; see docs/privacy.md). "
            "Share with the team's managers only."
        )
        print(
            f"authority {result.la_code}, data date {result.as_at_date}, from published snapshot "
            f"{snapshot.name} (run {result.run_id or '?'})"
        )
        for book in result.workbooks:
            print(
                f"  {book.path.name}: {book.rows} items ({book.overdue} overdue, {book.rows - book.overdue} due soon)"
                f" - {book.unit} {book.unit_name}"
            )
        return 0

    return _locked(settings, lists)


def cmd_raw_parquet(args) -> int:
    """The warehouse's raw layer as Parquet, one file per authority and dbt source table
    (lib/engines/raw_parquet.py): what a Spark cluster reads (docs/scale.md). Under the run lock,
    so no run writes the warehouse meanwhile; only authorities loaded since the last write are
    rewritten."""
    settings = _settings_from_args(args)
    out = Path(args.out).expanduser().resolve() if args.out else settings.raw_parquet

    def write() -> int:
        if not settings.warehouse.is_file():
            print(
                f"error: no warehouse at {settings.warehouse} (run `cscw run` first)",
                file=sys.stderr,
            )
            return 2
        import duckdb

        from orchestration.lib.engines.raw_parquet import sync_raw_parquet

        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            report = sync_raw_parquet(con, out)
        print(f"{report.summary()}, in {out}")
        return 0

    return _locked(settings, write)


def cmd_ui(args) -> int:
    """The UI reads the Dagster instance and takes no run lock (it writes nothing itself). Runs
    launched from it (or by its sensor and schedule) are not `cscw run`: they open the warehouse
    without the lock, so they fail on DuckDB's own lock while a `cscw run` is running."""
    from orchestration.lib.runlock import describe_holder, running

    settings = _settings_from_args(args)
    holder = running(settings.warehouse)
    if holder:
        print(
            f"note: a cscw run is running on {settings.warehouse} ({describe_holder(holder)}); runs started "
            "from the UI before it ends will fail to open the warehouse"
        )
    print(
        f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={settings.dagster_home}); Ctrl-C stops it"
    )
    dagster = Path(sys.executable).parent / "dagster"
    return subprocess.call(
        [str(dagster), "dev", "-m", "orchestration.definitions", "-p", str(args.port)]
    )


def cmd_annex_a(args) -> int:
    """Ofsted Annex A for one authority (docs/annex_a.md), or --check a workbook against the layout."""
    from orchestration.lib import annex_a

    if args.check:
        path = Path(args.check).expanduser()
        if not path.is_file():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
        findings = annex_a.check_workbook(path)
        for finding in findings:
            print(finding)
        if load_settings().annex_a_schema is None:
            print(
                "note: coded values were not checked against Annex A's categories: set CSCW_ANNEX_A_SCHEMA "
                "to the published Annex A schema (liia-tools-pipeline Annex_A_schema.yml; docs/annex_a.md)"
            )
        print(
            f"{path}: {'matches the Annex A layout (January 2024)' if not findings else f'{len(findings)} finding(s)'}"
        )
        return 1 if findings else 0
    if not args.la:
        print("error: --la is required (or --check FILE.xlsx)", file=sys.stderr)
        return 2
    settings = _settings_from_args(args)
    if not settings.warehouse.is_file():
        print(f"error: no warehouse at {settings.warehouse}; run `cscw run` first", file=sys.stderr)
        return 2
    try:
        window = [date.fromisoformat(d) if d else None for d in (args.date_from, args.date_to)]
    except ValueError as e:
        print(f"error: --from/--to: {e}", file=sys.stderr)
        return 2
    from orchestration.lib.publish import current_snapshot, read_manifest

    snapshot = current_snapshot(settings.publish_dir)
    run_id = (read_manifest(snapshot).get("run_id") if snapshot else None) or "not published"
    import duckdb

    try:
        con = duckdb.connect(str(settings.warehouse), read_only=True)
        try:
            path, results = annex_a.produce(
                con,
                settings.restricted_dir,
                args.la,
                window[0],
                window[1],
                args.out,
                args.pseudonymised,
                run_id,
            )
        finally:
            con.close()
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except duckdb.IOException as e:
        print(f"error: the warehouse is in use (a run is writing it?): {e}", file=sys.stderr)
        return 2
    for r in results:
        print(
            f"  List {r.number:>2}: {r.rows} rows"
            + (f" (not filled: {r.not_filled_because})" if r.not_filled_because else "")
        )
    if args.pseudonymised:
        print(f"Annex A (pseudonymised: keyed pseudonyms, month of birth) written to {path}")
    else:
        print(
            f"Annex A written to {path}\n"
            "RESTRICTED: it names children by the council's own ids and workers by name. It lives only in "
            "the restricted folder (CSCW_RESTRICTED_DIR), never in the BI snapshot or PostgreSQL; share it "
            "only by the council's secure route to Ofsted (docs/privacy.md)."
        )
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="cscw", description="CSC Warehouse: children's social care KPIs"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest a landing area, build, check and publish")
    run.add_argument(
        "--landing",
        required=True,
        help="landing area: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv",
    )
    run.add_argument(
        "--warehouse",
        help="DuckDB warehouse file (default $CSCW_WAREHOUSE or .cscw/warehouse.duckdb)",
    )
    run.add_argument(
        "--publish", help="publish folder (default $CSCW_PUBLISH_DIR or .cscw/publish)"
    )
    run.add_argument(
        "--accept-change",
        action="append",
        metavar="LA[:measure]",
        default=[],
        help="accept a genuine change against the last publication for an authority (or one "
        "measure of it): its drift is recorded as info and does not hold it back; repeatable",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="run even when nothing changed since the last successful run",
    )
    run.add_argument(
        "--engine",
        choices=ENGINES,
        help="the engine dbt builds on (default $CSCW_ENGINE or duckdb); spark needs `make"
        " env-spark` and Java, and always builds every authority (docs/scale.md)",
    )
    run.set_defaults(func=cmd_run)

    synth = sub.add_parser("synth", help="write synthetic council extracts")
    synth.add_argument("--out", required=True)
    synth.add_argument("--authorities", type=int, default=1)
    synth.add_argument("--years", type=int, default=6)
    synth.add_argument("--end-date", default="2025-03-31")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument(
        "--children", type=int, default=None, help="0-17 population of every authority"
    )
    synth.add_argument(
        "--faults",
        default=None,
        help="e.g. duplicate_key=0.01,empty_file=1 (see cscw_synth/FAULTS.md)",
    )
    synth.add_argument(
        "--format-mix",
        type=float,
        default=0.0,
        help="share of values written in the other accepted date/flag spellings (0-1)",
    )
    synth.add_argument("--verbose", action="store_true", help="one line per table written")
    synth.set_defaults(func=cmd_synth)

    demo = sub.add_parser("demo", help="synthetic authority -> full pipeline -> summary")
    demo.set_defaults(func=cmd_demo)

    bench = sub.add_parser(
        "bench", help="generate, run the real pipeline, measure (docs/performance.md)"
    )
    bench.add_argument("--authorities", type=int, default=1)
    bench.add_argument("--years", type=int, default=6)
    bench.add_argument(
        "--children", type=int, default=None, help="0-17 population of every authority"
    )
    bench.add_argument(
        "--repeat", type=int, default=3, help="runs of the short scenarios (median reported)"
    )
    bench.add_argument("--out", help="scratch folder, emptied first (default .cscw/bench/<size>)")
    bench.add_argument("--end-date", default="2025-03-14")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument(
        "--write-docs",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="rewrite the marked section of docs/performance.md",
    )
    bench.add_argument("--docs", help="write the table to this file instead of docs/performance.md")
    bench.set_defaults(func=cmd_bench)

    annex = sub.add_parser(
        "annex-a", help="Ofsted Annex A workbook for one authority (restricted; docs/annex_a.md)"
    )
    annex.add_argument("--la", help="authority code, e.g. 884")
    annex.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="window start (default: per list, docs/annex_a.md)",
    )
    annex.add_argument(
        "--to", dest="date_to", metavar="DATE", help="window end (default: the data date)"
    )
    annex.add_argument(
        "--out",
        help="workbook file (.xlsx), relative to the restricted folder (default annex_a_<la>_<data date>.xlsx)",
    )
    annex.add_argument(
        "--pseudonymised",
        action="store_true",
        help="keyed pseudonyms and month of birth instead of identities, for rehearsal and sharing",
    )
    annex.add_argument(
        "--warehouse",
        help="DuckDB warehouse file (default $CSCW_WAREHOUSE or .cscw/warehouse.duckdb)",
    )
    annex.add_argument(
        "--check",
        metavar="FILE.xlsx",
        help="check a workbook against the January 2024 layout instead",
    )
    annex.set_defaults(func=cmd_annex_a)

    lists = sub.add_parser(
        "lists", help="managers' overdue lists of one authority (identified, restricted folder)"
    )
    lists.add_argument("--la", required=True, help="the authority's three-digit code")
    lists.add_argument("--team", help="one team's workbook only (its team id)")
    lists.add_argument(
        "--warehouse",
        help="DuckDB warehouse file (default $CSCW_WAREHOUSE or .cscw/warehouse.duckdb)",
    )
    lists.add_argument(
        "--publish", help="publish folder (default $CSCW_PUBLISH_DIR or .cscw/publish)"
    )
    lists.set_defaults(func=cmd_lists)

    raw = sub.add_parser(
        "raw-parquet",
        help="write the warehouse's raw layer as Parquet for a Spark cluster (docs/scale.md)",
    )
    raw.add_argument(
        "--warehouse",
        help="DuckDB warehouse file (default $CSCW_WAREHOUSE or .cscw/warehouse.duckdb)",
    )
    raw.add_argument("--out", help="folder (default $CSCW_RAW_PARQUET or .cscw/raw-parquet)")
    raw.set_defaults(func=cmd_raw_parquet)

    ui = sub.add_parser("ui", help="open the Dagster UI on the same instance")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
