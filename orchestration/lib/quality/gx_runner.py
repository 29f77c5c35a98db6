"""Run a Great Expectations suite over a table, one batch (e.g. one authority) at a time.

Used by the Dagster blocking asset checks. GX validates pandas DataFrames pulled through
DuckDB (GX 1.24 cannot validate DuckDB through its SQL data source), so the caller yields
``(label, DataFrame)`` pairs and this module validates them one by one, never holding more
than one frame.

GX's own ``success`` is False whenever any expectation fails; here each expectation's
``severity`` (GX 1.24 Expectation field: critical | warning | info) decides: only failed
*critical* expectations make ``SuiteOutcome.passed`` False.

Nothing in the GX context is created or saved at run time: the suite, the data source, the
asset (named after the suite) and its batch definition are looked up (they are written once
by ``python -m orchestration.lib.quality.suites``). Validation results are kept in memory;
with ``docs_dir`` they are rendered into a static Data Docs site there through a throwaway
in-memory GX context, so nothing is written under ``expectations/``.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.lib.quality._context import (
    BATCH_DEFINITION_NAME,
    DATASOURCE_NAME,
    EXPECTATIONS_DIR,
    import_gx,
    open_context,
)
from orchestration.lib.sqltext import q

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "EXPECTATIONS_DIR",
    "ExpectationOutcome",
    "SuiteOutcome",
    "run_suite",
]

SAMPLE_SIZE = 10
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}

# GX keeps process-wide state (the "current" context); run one suite at a time per process.
_LOCK = threading.Lock()


@dataclass
class ExpectationOutcome:
    """One expectation evaluated on one batch."""

    suite: str
    batch: str
    expectation: str  # GX expectation type, e.g. "expect_column_values_to_be_unique"
    column: str | None  # column; "A, B" for column pairs / compound keys; None for table-level
    severity: str  # "critical" | "warning" | "info"
    success: bool
    unexpected_count: int | None
    element_count: int | None
    observed: str | None
    sample: list  # up to 10 unexpected values (JSON-safe)
    description: str | None = None
    #: up to 10 failing rows, as {id column: value} (the suite's ``id_columns``) plus the
    #: checked columns, so a failure can be traced to its rows.
    rows: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SuiteOutcome:
    suite: str
    outcomes: list[ExpectationOutcome]
    data_docs_index: Path | None
    batches: list[str] = field(default_factory=list)  # labels validated, in order

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.failures if o.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.failures if o.severity == "warning"]

    @property
    def infos(self) -> list[ExpectationOutcome]:
        return [o for o in self.failures if o.severity == "info"]

    @property
    def passed(self) -> bool:
        """True unless a critical expectation failed (warnings and info do not block)."""
        return not self.critical_failures

    def summary_markdown(self, max_rows: int = 20) -> str:
        """A short Markdown summary and table of failures for Dagster check metadata."""
        n_batches = len(self.batches)
        head = (
            f"**{self.suite}**: {len(self.outcomes)} expectation results on {n_batches} "
            f"batch{'es' if n_batches != 1 else ''}; "
            f"{len(self.critical_failures)} critical, {len(self.warnings)} warning, "
            f"{len(self.infos)} info failure(s)."
        )
        failures = sorted(
            self.failures, key=lambda o: SEVERITY_ORDER.get(o.severity, 9)
        )  # stable: keeps batch and suite order within a severity
        if not failures:
            return head + "\n\nAll expectations passed."
        lines = [
            head,
            "",
            "| Severity | Batch | Expectation | Column | Unexpected | Sample |",
            "|---|---|---|---|---|---|",
        ]
        for o in failures[:max_rows]:
            unexpected = (
                f"{o.unexpected_count} of {o.element_count}"
                if o.unexpected_count is not None
                else (o.observed or "")
            )
            sample = ", ".join(_short(v) for v in o.sample[:5])
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        o.severity,
                        o.batch,
                        o.expectation,
                        o.column or "",
                        unexpected,
                        sample,
                    )
                )
                + " |"
            )
        if len(failures) > max_rows:
            lines.append(f"\n… and {len(failures) - max_rows} more failure(s).")
        return "\n".join(lines)


def authority_batches(
    con: Any, relation: str, only: list[str] | None = None, columns: set[str] | None = None
) -> Iterable[tuple[str, Any]]:
    """(la_code, DataFrame) for each authority of a DuckDB relation in turn (`only`: of those
    authorities), for `run_suite`: one authority's rows in memory at a time, so national scale
    stays bounded. `columns` (suite_columns): only the relation's columns the suite reads, in the
    relation's order; converting the others to pandas was most of the pull's time."""
    codes = [
        r[0] for r in con.execute(f"SELECT DISTINCT la_code FROM {relation} ORDER BY 1").fetchall()
    ]
    select = "*"
    if columns is not None:
        present = [r[0] for r in con.execute(f"SELECT * FROM {relation} LIMIT 0").description]
        select = ", ".join(q(c) for c in present if c in columns or c == "la_code")
    for code in codes if only is None else [c for c in codes if c in only]:
        yield code, con.execute(f"SELECT {select} FROM {relation} WHERE la_code = ?", [code]).df()


def suite_columns(suite_name: str, context_root: Path = EXPECTATIONS_DIR) -> set[str] | None:
    """Every column suite `suite_name` names (its expectations' columns and row conditions, and
    its id_columns), read from the suite's JSON: what a batch must carry for the same outcome.
    None (every column) if a row condition is written as text, whose columns are not listed."""
    suite = json.loads((Path(context_root) / "suites" / f"{suite_name}.json").read_text())
    found: set[str] = set((suite.get("meta") or {}).get("id_columns") or [])
    kwargs = [e.get("kwargs") or {} for e in suite["expectations"]]
    if any(isinstance(k.get("row_condition"), str) and k["row_condition"] for k in kwargs):
        return None

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("column", "column_A", "column_B") and isinstance(value, str):
                    found.add(value)
                elif key == "column" and isinstance(value, dict) and "name" in value:
                    found.add(value["name"])  # a row condition's column
                elif key == "column_list" and isinstance(value, list):
                    found.update(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(kwargs)
    return found


def run_suite(
    suite_name: str,
    batches: Iterable[tuple[str, pandas.DataFrame]],
    *,
    context_root: Path = EXPECTATIONS_DIR,
    docs_dir: Path | None = None,
    run_name: str | None = None,
    sample_size: int = SAMPLE_SIZE,
) -> SuiteOutcome:
    """Validate each ``(label, DataFrame)`` from ``batches`` against suite ``suite_name``.

    Frames are consumed one at a time (a generator is never materialised). Outcomes are
    listed batch by batch, in the suite's expectation order. If ``docs_dir`` is given, a
    static Data Docs site with this run's results is built there and the path of its
    ``index.html`` returned in ``data_docs_index``; ``run_name`` (e.g. the Dagster run id)
    names the run in it. ``sample_size`` caps the unexpected values and failing rows kept per
    expectation (raise it for small aggregate batches where every failing row matters).
    """
    gx = import_gx()
    with _LOCK:
        context = open_context(Path(context_root))
        try:
            suite = context.suites.get(suite_name)
            batch_definition = (
                context.data_sources.get(DATASOURCE_NAME)
                .get_asset(suite_name)
                .get_batch_definition(BATCH_DEFINITION_NAME)
            )
        except Exception as exc:  # GX raises several types for a missing object
            raise LookupError(
                f"GX suite / asset {suite_name!r} not found in {context_root}: run "
                "`python -m orchestration.lib.quality.suites` and commit expectations/"
            ) from exc

        order = {exp.id: i for i, exp in enumerate(suite.expectations)}
        id_columns = list((suite.meta or {}).get("id_columns") or [])
        outcomes: list[ExpectationOutcome] = []
        labels: list[str] = []
        kept_results: list[tuple[str, Any]] = []

        for label, frame in batches:
            label = str(label)
            labels.append(label)
            result_format: dict[str, Any] = {
                "result_format": "SUMMARY",
                "partial_unexpected_count": sample_size,
            }
            index_columns = [c for c in id_columns if c in frame.columns]
            if index_columns:
                result_format["unexpected_index_column_names"] = index_columns
            batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
            result = batch.validate(suite, result_format=result_format)
            del batch, frame  # drop our references before the next frame is pulled

            results = sorted(
                result.results, key=lambda r: order.get(r.expectation_config.id, len(order))
            )
            outcomes.extend(_outcome(suite_name, label, r, sample_size) for r in results)
            if docs_dir is not None:
                kept_results.append((label, result))

        index = None
        if docs_dir is not None:
            index = _build_docs(gx, suite, kept_results, Path(docs_dir), run_name)
    return SuiteOutcome(suite=suite_name, outcomes=outcomes, data_docs_index=index, batches=labels)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _outcome(
    suite_name: str, label: str, r: Any, sample_size: int = SAMPLE_SIZE
) -> ExpectationOutcome:
    config = r.expectation_config
    kwargs = config.kwargs
    if "column" in kwargs:
        column = kwargs["column"]
    elif "column_A" in kwargs:
        column = f"{kwargs['column_A']}, {kwargs['column_B']}"
    elif "column_list" in kwargs:
        column = ", ".join(kwargs["column_list"])
    else:
        column = None
    severity = getattr(config.severity, "value", config.severity) or "critical"
    res = r.result or {}
    unexpected = res.get("unexpected_count")
    elements = res.get("element_count")
    error = _exception_message(r.exception_info)

    if error:
        observed = f"error: {error}"
    elif "observed_value" in res:
        observed = _short(_jsonable(res["observed_value"]), 200)
    elif unexpected is not None:
        observed = f"{unexpected} unexpected of {elements} rows"
        if res.get("missing_count"):
            observed += f" ({res['missing_count']} missing, ignored)"
    else:
        observed = None

    return ExpectationOutcome(
        suite=suite_name,
        batch=label,
        expectation=config.type,
        column=column,
        severity=str(severity),
        success=bool(r.success) and not error,
        unexpected_count=None if unexpected is None else int(unexpected),
        element_count=None if elements is None else int(elements),
        observed=observed,
        sample=_jsonable(list(res.get("partial_unexpected_list") or [])[:sample_size]),
        description=getattr(config, "description", None),
        rows=_jsonable(list(res.get("partial_unexpected_index_list") or [])[:sample_size]),
    )


def _exception_message(info: Any) -> str | None:
    """GX reports errors either flat or keyed by metric id."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        messages = [info.get("exception_message")] if info.get("raised_exception") else []
    else:
        messages = [
            v.get("exception_message")
            for v in info.values()
            if isinstance(v, dict) and v.get("raised_exception")
        ]
    cleaned = {m.removeprefix("Error: ").strip() for m in messages if m}
    return "; ".join(sorted(cleaned)) or None


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00:00(\.0+)?$")


def _jsonable(value: Any) -> Any:
    """Make GX sample values JSON-safe: numpy / pandas scalars to Python, NaN / NA / NaT to
    None, dates to ISO strings (midnight timestamps from DATE columns to YYYY-MM-DD)."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        m = _MIDNIGHT.match(value)
        return m.group(1) if m else value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):  # includes pandas.Timestamp
        try:
            if value != value:  # noqa: PLR0124 - NaT, the one datetime not equal to itself
                return None
        except TypeError:
            pass
        return _jsonable(value.isoformat())
    if isinstance(value, date):
        return value.isoformat()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return _jsonable(item())
        except (TypeError, ValueError):
            pass
    return str(value)


def _short(value: Any, limit: int = 40) -> str:
    text = "null" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


_UNSAFE = re.compile(r"[^A-Za-z0-9_.=-]+")


def _build_docs(
    gx: Any, suite: Any, results: list[tuple[str, Any]], docs_dir: Path, run_name: str | None
) -> Path:
    """Render this run's results into a static Data Docs site at ``docs_dir`` using an
    in-memory context, so the file context is not written to."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    docs_dir = docs_dir.resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    site = "run"
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            site: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    scratch = gx.get_context(mode="ephemeral", project_config=config)
    scratch.suites.add(
        gx.ExpectationSuite(
            name=suite.name,
            expectations=[exp.configuration for exp in suite.expectations],
            meta=dict(suite.meta or {}),
        )
    )
    run_id = RunIdentifier(run_name=_UNSAFE.sub("_", run_name or "run"))
    suite_id = ExpectationSuiteIdentifier(name=suite.name)
    seen: dict[str, int] = {}
    for label, result in results:
        safe = _UNSAFE.sub("_", label) or "batch"
        seen[safe] = seen.get(safe, 0) + 1
        if seen[safe] > 1:
            safe = f"{safe}_{seen[safe]}"
        key = ValidationResultIdentifier(
            expectation_suite_identifier=suite_id, run_id=run_id, batch_identifier=safe
        )
        scratch.validation_results_store.set(key, result)
    scratch.build_data_docs(site_names=[site])
    return docs_dir / "index.html"
