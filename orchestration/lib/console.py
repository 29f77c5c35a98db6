"""What `cscw run` shows while a run runs: the stage, what is being built, counts and an estimate.

`RunTracker` is pure: it is fed the run's events (`Event`, made from Dagster's event records by
`event_of`) and says which stage lines to print and how long is left; `ProgressView` draws it,
as a live rich display on a terminal, or as one plain line per stage start and finish elsewhere
(CI logs, pipes, the bench, tests capturing the output). dbt's and Dagster's own log lines do not
come here: they go to the run's log file (orchestration/cli.py).
"""

import time
from dataclasses import dataclass, field

# One dbt stage: models and tests run in one `dbt build`, tests beside the models still building.
STAGES = ("ingest", "dbt build", "quality gate", "publish")
INGEST, DBT, GATE, PUBLISH = range(len(STAGES))
DBT_STEP = "warehouse_dbt_models"
_INGEST_STEPS = ("raw_tables", "raw_meta__", "reference__", "quality__dq_dfe_findings")
_PUBLISH_STEPS = ("publish__", "restricted_outputs__")


def stage_of(step_key: str) -> int:
    """The stage a step belongs to (an index into STAGES)."""
    if step_key == DBT_STEP:
        return DBT
    if step_key.startswith(_INGEST_STEPS):
        return INGEST
    if step_key.startswith(_PUBLISH_STEPS):
        return PUBLISH
    return GATE


@dataclass(frozen=True)
class Event:
    """The part of one Dagster event the display needs."""

    kind: str  # STEP_START, STEP_SUCCESS, STEP_FAILURE, STEP_SKIPPED, ASSET_MATERIALIZATION, ...
    step: str
    at: float  # seconds since the epoch
    key: str = ""  # asset key (materialisations, checks)
    passed: bool = True  # checks


def event_of(entry) -> Event | None:
    """An `Event` from a Dagster EventLogEntry (None for plain log messages)."""
    event = entry.dagster_event
    if event is None:
        return None
    kind = event.event_type_value
    key, passed = "", True
    if kind == "ASSET_MATERIALIZATION" and event.asset_key:
        key = event.asset_key.to_user_string()
    elif kind == "ASSET_CHECK_EVALUATION":
        data = event.event_specific_data
        key, passed = f"{data.asset_key.to_user_string()}:{data.check_name}", data.passed
    return Event(kind, entry.step_key or "", entry.timestamp, key, passed)


@dataclass
class RunTracker:
    """The run's progress from its events.

    models / tests: how many dbt assets (models and seeds) and dbt tests (asset checks) the dbt
    step builds, from the job's asset selection. previous: seconds each step took in the last
    successful run of the job (Dagster's step stats), the basis of the estimate when known.
    """

    models: int = 0
    tests: int = 0
    previous: dict[str, float] = field(default_factory=dict)
    stage: int = -1
    stage_started: float = 0.0
    built: int = 0
    tested: int = 0
    failed_checks: int = 0
    now_building: str = ""
    running: dict[str, float] = field(default_factory=dict)  # step -> started at
    finished: set[str] = field(default_factory=set)
    failed_steps: list[str] = field(default_factory=list)

    def feed(self, event: Event) -> list[tuple[str, str]]:
        """Take one event; return the plain lines it makes, as (kind, text): kind `stage` (a stage
        started or finished) or `failure` (a step failed). Never one line per model or check."""
        lines: list[tuple[str, str]] = []
        if event.kind == "STEP_START":
            self.running[event.step] = event.at
            self.now_building = event.step
            lines += self._enter(stage_of(event.step), event.at)
        elif event.kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            self.running.pop(event.step, None)
            self.finished.add(event.step)
            if event.kind == "STEP_FAILURE":
                self.failed_steps.append(event.step)
                lines.append(("failure", f"step {event.step} FAILED"))
        elif event.kind == "ASSET_MATERIALIZATION":
            if event.step == DBT_STEP:
                self.built += 1
            self.now_building = event.key
        elif event.kind == "ASSET_CHECK_EVALUATION":
            if event.step == DBT_STEP:
                self.tested += 1
            self.failed_checks += not event.passed
            self.now_building = event.key
        return lines

    def _enter(self, stage: int, at: float) -> list[tuple[str, str]]:
        """Stages only move forward (a step of an earlier stage late in the run stays in place)."""
        if stage <= self.stage:
            return []
        lines = [self.finish_stage(at)] if self.stage >= 0 else []
        self.stage, self.stage_started = stage, at
        return lines + [("stage", f"{STAGES[stage]} started")]

    def finish_stage(self, at: float) -> tuple[str, str]:
        return ("stage", f"{STAGES[self.stage]} done in {at - self.stage_started:.0f} s")

    def counts(self) -> str:
        if self.stage != DBT:
            return ""
        parts = [f"models {self.built}/{self.models}"] if self.models else []
        parts += [f"tests {self.tested}/{self.tests}"] if self.tests else []
        return ", ".join(parts)

    def estimate(self, now: float) -> str:
        left = self.remaining(now)
        return f"~{format_seconds(left[0])} to go by the {left[1]}" if left else "estimating"

    def remaining(self, now: float) -> tuple[float, str] | None:
        """Seconds left and what the estimate rests on, or None when there is nothing to go by.

        With the last successful run's step durations: the steps not started yet take what they
        took then, a running step what it took then less what it has run so far. Without them
        (a first run): inside dbt only, the rate so far over the models and tests left."""
        if self.previous:
            left = 0.0
            for step, seconds in self.previous.items():
                if step in self.finished:
                    continue
                if step in self.running:
                    left += max(seconds - (now - self.running[step]), 0.0)
                else:
                    left += seconds
            return left, "previous run"
        done, total = self.built + self.tested, self.models + self.tests
        if self.stage != DBT or not done or not total:
            return None
        spent = now - self.stage_started
        return spent / done * max(total - done, 0), "rate so far"


def format_seconds(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class ProgressView:
    """Draws a RunTracker on `out`: a live rich display on a terminal, plain lines elsewhere."""

    def __init__(self, tracker: RunTracker, out, started: float):
        from rich.console import Console

        self.tracker, self.started = tracker, started
        self.console = Console(file=out, highlight=False, soft_wrap=True)
        self.live = None
        if self.console.is_terminal:
            from rich.live import Live

            # cli.py sends stdout and stderr to the run's log file itself: Live leaves them alone
            self.live = Live(
                self._render(),
                console=self.console,
                refresh_per_second=4,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )

    def __enter__(self):
        if self.live:
            self.live.start()
        return self

    def __exit__(self, *exc):
        if self.live:
            self.live.stop()

    def say(self, kind: str, text: str) -> None:
        line = f"[{time.perf_counter() - self.started:4.0f}s] {text}"
        if kind == "stage" and text.endswith(" started") and self.tracker.remaining(time.time()):
            line += f" ({self.tracker.estimate(time.time())})"
        if self.live:
            style = "bold red" if kind == "failure" else "green"
            self.console.print(line, style=style)
        else:
            self.console.print(line, markup=False)

    def refresh(self) -> None:
        if self.live:
            self.live.update(self._render())

    def _render(self):
        from rich.text import Text

        t = self.tracker
        stage = STAGES[t.stage] if t.stage >= 0 else "starting"
        left = t.estimate(time.time())
        text = Text()
        text.append(f"{stage}", style="bold cyan")
        if t.stage >= 0:
            text.append(f" ({t.stage + 1}/{len(STAGES)})")
        counts = t.counts()
        if counts:
            text.append(f"  {counts}")
        if t.failed_checks:
            text.append(f"  {t.failed_checks} checks not passed", style="yellow")
        text.append(
            f"  elapsed {format_seconds(time.perf_counter() - self.started)}  {left}\n", style="dim"
        )
        text.append(f"  latest: {t.now_building[:100]}", style="dim")
        return text
