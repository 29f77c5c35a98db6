"""Expectation suites, authored in Python and written into the GX file context.

Each suite is one function decorated with ``@suite``: it returns GX Expectation objects,
every one with an explicit ``severity`` ("critical" | "warning" | "info", GX 1.24's own
Expectation field). ``critical`` failures block; ``warning`` and ``info`` are reported only.

The suites are written into ``expectations/`` (the GX file context) by::

    python -m orchestration.lib.quality.suites          # create / update, then print status
    python -m orchestration.lib.quality.suites --check  # exit 1 if the JSON is out of date

The sync is idempotent: an unchanged suite is not rewritten, a changed one is updated in
place keeping the ids of the expectations that did not change, so the committed JSON only
changes when a suite does. The pandas data source, one dataframe asset per suite and its
batch definition are created once here and only looked up at run time (``gx_runner``).

To add a suite: write one more decorated function below, run the module, commit the JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.lib.measures import may_exceed_100
from orchestration.lib.quality._context import (
    BATCH_DEFINITION_NAME,
    DATASOURCE_NAME,
    EXPECTATIONS_DIR,
    import_gx,
    open_context,
)

SEVERITIES = ("critical", "warning", "info")

# GX adds its own version to suite meta; it is not part of a suite's definition.
_GX_META_KEYS = {"great_expectations_version", "great_expectations.__version__"}


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    build: Callable[[], list]
    #: Columns that identify a row; reported for failing rows (``ExpectationOutcome.rows``).
    id_columns: tuple[str, ...]
    description: str

    def meta(self) -> dict[str, Any]:
        return {"description": self.description, "id_columns": list(self.id_columns)}


SUITES: dict[str, SuiteSpec] = {}


def suite(
    name: str | None = None, *, id_columns: tuple[str, ...] = (), description: str = ""
) -> Callable[[Callable[[], list]], Callable[[], list]]:
    """Register a function returning a suite's expectations."""

    def register(fn: Callable[[], list]) -> Callable[[], list]:
        suite_name = name or fn.__name__
        if suite_name in SUITES:
            raise ValueError(f"suite {suite_name!r} defined twice")
        SUITES[suite_name] = SuiteSpec(
            suite_name, fn, tuple(id_columns), description or (fn.__doc__ or "").strip()
        )
        return fn

    return register


def _gxe() -> Any:
    import_gx()
    import great_expectations.expectations as gxe

    return gxe


# --------------------------------------------------------------------------------------
# Suites
# --------------------------------------------------------------------------------------


# Percentages whose numerator is not a subset of the denominator (catalogue may_exceed_100:
# turnover is the FTE of leavers over 12 months against the FTE in post on one day).
UNBOUNDED_PERCENTAGES = may_exceed_100()

SCORECARD_KEY = ("kpi_id", "period_type", "period_start", "breakdown", "breakdown_id")


@suite(id_columns=SCORECARD_KEY)
def kpi_scorecard() -> list:
    """Published KPI scorecard; validated per local authority."""
    gxe = _gxe()
    from great_expectations.expectations.row_conditions import Column

    not_null = [
        gxe.ExpectColumnValuesToNotBeNull(
            column=column, severity="critical", description=f"{column} is always set."
        )
        for column in (
            "la_code",
            "kpi_id",
            "period_type",
            "period_start",
            "period_end",
            "breakdown",
            "breakdown_id",
        )
    ]
    return [
        *not_null,
        gxe.ExpectColumnValuesToBeInSet(
            column="period_type",
            value_set=["month", "quarter", "year"],
            severity="critical",
            description="Known period type.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="breakdown",
            value_set=["la", "service_area", "team"],
            severity="critical",
            description="Known breakdown.",
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=list(SCORECARD_KEY),
            severity="critical",
            description="One row per KPI, period and breakdown within an authority.",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="period_end",
            column_B="period_start",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="critical",
            description="Periods end on or after they start.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="numerator",
            min_value=0,
            severity="critical",
            description="Numerators are not negative.",
        ),
        # numerator <= denominator, read as denominator >= numerator: only where the numerator
        # counts units out of the denominator (a mean or ratio is a total over a divisor).
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="denominator",
            column_B="numerator",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="critical",
            row_condition=Column("unit").is_in(["percentage", "rate_10k"])
            & Column("kpi_id").is_not_in(list(UNBOUNDED_PERCENTAGES)),
            description="Numerator never exceeds denominator for percentages and rates.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="unit",
            value_set=["percentage", "count", "rate_10k", "ratio", "mean"],
            severity="critical",
            description="Every row has a known unit (it decides the value's checks).",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="unit",
            severity="critical",
            description="Every row has a unit.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=100,
            row_condition=(Column("unit") == "percentage")
            & Column("kpi_id").is_not_in(list(UNBOUNDED_PERCENTAGES)),
            severity="critical",
            description="Percentages lie between 0 and 100 (turnover may pass 100).",
        ),
        *_availability_expectations(gxe, Column),
        # warning
        gxe.ExpectColumnValuesToBeInSet(
            column="rag",
            value_set=["Blue", "Green", "Amber", "Red"],
            severity="warning",
            description="RAG rating is Blue, Green, Amber or Red (or not rated).",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="direction",
            value_set=["improving", "unchanged", "worsening"],
            severity="warning",
            description="Direction of travel is improving, unchanged or worsening (or none).",
        ),
    ]


def _availability_expectations(gxe: Any, Column: Any) -> list:
    """A measure whose needed tables were never delivered is published as not available: its
    rows carry nothing measured and a reason; available rows carry a numerator and no reason."""
    available = Column("is_available") == True  # a GX row condition, not a comparison
    not_available = Column("is_available") == False  # a GX row condition
    nothing_measured = [
        gxe.ExpectColumnValuesToBeNull(
            column=column,
            row_condition=not_available,
            severity="critical",
            description=f"A measure not available (a table it needs was never delivered) has no {column}.",
        )
        for column in ("numerator", "denominator", "value", "rag", "direction")
    ]
    return [
        gxe.ExpectColumnValuesToNotBeNull(
            column="is_available",
            severity="critical",
            description="Every row says whether its measure is available for the authority.",
        ),
        *nothing_measured,
        gxe.ExpectColumnValuesToNotBeNull(
            column="not_available_reason",
            row_condition=not_available,
            severity="critical",
            description="A measure not available says why (which tables were not delivered).",
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="not_available_reason",
            row_condition=available,
            severity="critical",
            description="An available measure has no reason for not being available.",
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="numerator",
            row_condition=available,
            severity="critical",
            description="An available measure has a numerator on every row (0 when nothing was counted).",
        ),
    ]


# --------------------------------------------------------------------------------------
# Raw layer: one row per authority x contract table (aggregates.raw_load_sql)
# --------------------------------------------------------------------------------------


@suite(id_columns=("la_code", "table_name"))
def raw_load() -> list:
    """Raw layer contract conformance, per authority x table, from the ingestion provenance
    (raw_meta): rows read = loaded + quarantined, quarantine rate against the thresholds in
    seeds/quality_thresholds.csv, failed files, tables never delivered, volume change against
    the previous loaded drop. Validated per local authority on an aggregate, never raw rows."""
    gxe = _gxe()
    return [
        # critical
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["la_code", "table_name"],
            severity="critical",
            description="One row per authority and table.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="rows_unaccounted",
            min_value=0,
            max_value=0,
            severity="critical",
            description="Row accounting adds up: rows read = rows loaded + rows quarantined.",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="quarantine_rate_critical",
            column_B="quarantine_rate",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="critical",
            description="Quarantine rate at or below the critical limit (quality_thresholds; tables "
            "with fewer rows than min_rows are not judged critical).",
        ),
        # warning
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="quarantine_rate_warning",
            column_B="quarantine_rate",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            description="Quarantine rate at or below the warning limit (quality_thresholds).",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="current_file_failed",
            value_set=[False],
            severity="warning",
            description="The newest file of every table could be read (otherwise the previous "
            "version is kept).",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="delivered",
            value_set=[True],
            severity="warning",
            description="Every contract table has been delivered by the authority.",
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="volume_change_warning",
            column_B="volume_change",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity="warning",
            description="Rows loaded changed by no more than the volume_change limit against the "
            "previous loaded drop.",
        ),
    ]


# --------------------------------------------------------------------------------------
# KPI marts: one row per authority x catalogue measure (aggregates.kpi_completeness_sql)
# --------------------------------------------------------------------------------------


@suite(id_columns=("la_code", "kpi_id"))
def kpi_completeness() -> list:
    """KPI marts complete and consistent, per authority x catalogue measure (aggregate
    computed in DuckDB): every implemented measure for every period of dim_period at every
    level, no duplicates or gaps, percentages consistent with numerator / denominator, measures
    not available published without values and with their reason."""
    gxe = _gxe()
    from great_expectations.expectations.row_conditions import Column

    implemented = Column("implemented") == True  # a GX row condition, not a comparison
    zero = {"min_value": 0, "max_value": 0}
    return [
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["la_code", "kpi_id"],
            severity="critical",
            description="One row per authority and measure.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="missing_rows",
            **zero,
            severity="critical",
            row_condition=implemented,
            description="Every implemented measure has every period of dim_period at every level "
            "(authority, service area, team).",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="duplicate_rows",
            **zero,
            severity="critical",
            description="No measure, period and level appears twice.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="period_gaps",
            **zero,
            severity="critical",
            description="No gaps between the periods of a series (month, quarter, year).",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value_mismatches",
            **zero,
            severity="critical",
            description="Percentages: value = 100 x numerator / denominator (NULL when the "
            "denominator is 0).",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="numerator_over_denominator",
            **zero,
            severity="critical",
            description="0 <= numerator <= denominator for percentages and rates.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="negative_values",
            **zero,
            severity="critical",
            description="Numerators and denominators are never negative.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="availability_mismatches",
            **zero,
            severity="critical",
            description="Rows of a measure not available carry no numerator, denominator, value, RAG or "
            "direction and say why; available rows have a numerator and no such reason.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="availability_conflicts",
            **zero,
            severity="critical",
            description="A measure is available, or not, on all of an authority's rows.",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="unexpected_rows",
            **zero,
            severity="warning",
            description="No scorecard rows outside the expected periods and levels.",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="published",
            value_set=[True],
            severity="info",
            description="Every catalogue measure is published (info while measures are being added).",
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="available",
            value_set=[True],
            severity="info",
            description="Every measure is available: a table it needs was never delivered otherwise "
            "(published as not available, with the reason).",
        ),
    ]


# --------------------------------------------------------------------------------------
# Sync into the file context
# --------------------------------------------------------------------------------------


def build_expectations(spec: SuiteSpec) -> list:
    """Build a suite's expectations, checking that each states its severity."""
    expectations = spec.build()
    for exp in expectations:
        explicit = "severity" in getattr(exp, "__fields_set__", set())
        severity = getattr(exp.severity, "value", exp.severity)
        if not explicit or severity not in SEVERITIES:
            raise ValueError(
                f"suite {spec.name!r}: {exp.expectation_type} on "
                f"{exp.configuration.kwargs} must set severity to one of {SEVERITIES}"
            )
    return expectations


def _normal(exp: Any) -> dict:
    """An expectation's definition without its store id (for comparison)."""
    d = exp.configuration.to_json_dict()
    d.pop("id", None)
    d.pop("rendered_content", None)
    return d


def _suite_meta(meta: dict | None) -> dict:
    return {k: v for k, v in (meta or {}).items() if k not in _GX_META_KEYS}


def _ensure_assets(context: Any, names: list[str], dry_run: bool) -> list[str]:
    """Create the pandas data source, one dataframe asset per suite and its batch
    definition if missing. Existing objects are never re-created (ids stay stable)."""
    changes: list[str] = []
    try:
        datasource = context.data_sources.get(DATASOURCE_NAME)
    except (KeyError, ValueError, LookupError):
        datasource = None
    if datasource is None:
        changes.append(f"data source {DATASOURCE_NAME}: created")
        if dry_run:
            return changes + [f"asset {n}: created" for n in names]
        datasource = context.data_sources.add_pandas(DATASOURCE_NAME)
    existing = set(datasource.get_asset_names())
    for name in names:
        if name not in existing:
            changes.append(f"asset {name}: created")
            if not dry_run:
                asset = datasource.add_dataframe_asset(name)
                asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
            continue
        asset = datasource.get_asset(name)
        if BATCH_DEFINITION_NAME not in {bd.name for bd in asset.batch_definitions}:
            changes.append(f"batch definition {name}/{BATCH_DEFINITION_NAME}: created")
            if not dry_run:
                asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
    return changes


def sync_suites(
    context_root: Path = EXPECTATIONS_DIR,
    names: list[str] | None = None,
    *,
    dry_run: bool = False,
) -> dict[str, str]:
    """Write the Python-defined suites into the GX file context at ``context_root``.

    Returns ``{suite_name: "created" | "updated" | "unchanged"}`` plus entries for the data
    source / assets it had to create (keys starting with ``"asset "`` etc.). With
    ``dry_run`` nothing is written (``--check``).
    """
    gx = import_gx()
    names = list(names or SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise KeyError(f"unknown suites: {unknown}; defined: {sorted(SUITES)}")

    context_root = Path(context_root)
    if dry_run and not (context_root / "great_expectations.yml").is_file():
        return {"context": "missing", **{n: "created" for n in names}}
    context = open_context(context_root, create=not dry_run)

    status: dict[str, str] = {}
    for change in _ensure_assets(context, names, dry_run):
        key, _, value = change.partition(": ")
        status[key] = value

    existing_names = {s.name for s in context.suites.all()}
    for name in names:
        spec = SUITES[name]
        desired = build_expectations(spec)
        if name not in existing_names:
            status[name] = "created"
            if not dry_run:
                context.suites.add(
                    gx.ExpectationSuite(name=name, expectations=desired, meta=spec.meta())
                )
            continue

        current = context.suites.get(name)
        same = [_normal(e) for e in current.expectations] == [_normal(e) for e in desired] and (
            _suite_meta(current.meta) == spec.meta()
        )
        if same:
            status[name] = "unchanged"
            continue
        status[name] = "updated"
        if dry_run:
            continue
        # Keep the ids of expectations whose definition did not change.
        free = {}
        for exp in current.expectations:
            free.setdefault(repr(_normal(exp)), []).append(exp.id)
        for exp in desired:
            ids = free.get(repr(_normal(exp)))
            if ids:
                exp.id = ids.pop(0)
        current.expectations = desired
        current.meta = {
            **{k: v for k, v in current.meta.items() if k in _GX_META_KEYS},
            **spec.meta(),
        }
        current.save()
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.lib.quality.suites",
        description="Write the expectation suites into the GX file context.",
    )
    parser.add_argument("suites", nargs="*", help="suite names (default: all)")
    parser.add_argument("--context-root", type=Path, default=EXPECTATIONS_DIR)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the context is not up to date",
    )
    args = parser.parse_args(argv)
    status = sync_suites(args.context_root, args.suites or None, dry_run=args.check)
    for key, value in status.items():
        print(f"{key}: {value}")
    if args.check and any(v != "unchanged" for v in status.values()):
        print("expectations/ is out of date: run python -m orchestration.lib.quality.suites")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
