"""raw -> staging -> conformed -> KPI: the dbt project as Dagster assets.

dbt sources `raw.<table>`, `raw_meta.<table>` and `reference.bank_holidays` map to the ingest
assets by their default keys ([source, table]), so lineage runs from the landing files to the
scorecard. Unit tests run in CI (`dbt test`), never in production builds.

A full build replaces every model's rows. When nothing but the landing area changed since the
last run that ended well (`cscw run` decides, from the fingerprint: lib/fingerprint.py, and tags
the run `cscw/per_authority`), the build is per authority (macros/by_authority.sql): only the authorities with a drop not yet
published are named in raw_meta.build_scope, and the models and generic tests read, delete and
insert their rows only.

One `dbt build` of models and tests, every test run as a warning (dbt_project.yml,
`cscw_tests_severity`), so that one authority's failing test never skips the models after it:
a model that fails to build (or is skipped) fails the step. Failing tests do not: their failing
rows are stored (schema `audit`) and their outcomes kept per authority in quality.check_results
(check `dbt_tests`), which the gate `quality/verdicts` judges with each test's own severity, read
from the parsed project. One dbt process, not a build and then a test (each dbt process costs
about 5 s to start and load its parse state), and tests run beside the models still building.
"""

import os

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.defs.resources import dbt_project
from orchestration.defs.transform import parse_ahead
from orchestration.lib.build_scope import PER_AUTHORITY_TAG, build_scope, drop_scope
from orchestration.lib.dbt_state import DbtState
from orchestration.lib.settings import load_settings


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        # models/<layer>/...: staging, intermediate, conformed, kpi
        return dbt_resource_props["fqn"][1]

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        # dagster-dbt makes `error` tests blocking checks: one failure would fail the dbt step
        # and so hold back every authority. The gate judges them per authority instead.
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or not spec.blocking:
            return spec
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=spec.description,
            additional_deps=spec.additional_deps,
            metadata=spec.metadata,
            blocking=False,
        )


BUILD_TAG = "cscw/dbt_build"  # how dbt built, for the summary


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=Translator(),
    pool="warehouse",
    exclude="resource_type:unit_test",
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    duckdb: DuckDBResource,
):
    if load_settings().engine == "spark":
        yield from _build_on_spark(context, duckdb)
        return
    per_authority = context.run.tags.get(PER_AUTHORITY_TAG) == "true"
    with duckdb.get_connection() as con:
        scope = build_scope(con, context.run.run_id, per_authority)
    how = (
        "full (every authority)"
        if scope is None
        else f"per authority: {len(scope)} with a drop not yet published "
        f"({', '.join(scope) or 'none'}); the others' rows kept"
    )
    context.log.info(f"dbt build: {how}")
    context.instance.add_run_tags(context.run.run_id, {BUILD_TAG: how})  # the summary shows it
    # The build parses from this warehouse's own parse state (lib/dbt_state.py), which a parse
    # started during ingestion may just have written.
    parsed = parse_ahead.finish(context.run.run_id)
    if parsed:
        context.log.info(parsed)
    state = DbtState(load_settings().home)
    state.prune_runs(keep=context.run.run_id)
    try:
        full = [] if scope is not None else ["--full-refresh"]
        build = dbt.cli(
            ["build", *parse_ahead.BUILD_VARS, *full],
            context=context,
            raise_on_error=False,
            target_path=state.target(context.run.run_id, "build"),
        )
        yield from build.stream()
        state.keep_parse_state(build.target_path)
        _raise_unless_models_built(build)
    finally:
        with duckdb.get_connection() as con:
            drop_scope(con)
    # dbt has exited (and released the warehouse): judge its tests per authority for the gate.
    _record_test_outcomes(context, build, duckdb, scope)


def _build_on_spark(context: dg.AssetExecutionContext, duckdb: DuckDBResource):
    """The whole project, models, seeds and tests, on a Spark session from the raw layer as
    Parquet; what it built then replaces the DuckDB tables of the same names, which the gate and
    publication read (lib/engines/spark_build.py). Always a full build."""
    from orchestration.defs.resources import WarehouseDbtCli
    from orchestration.lib.engines import raw_parquet, spark_build

    settings = load_settings()
    if why := spark_build.missing_for_spark():
        raise dg.Failure(f"engine spark: {why}")
    with duckdb.get_connection() as con:
        context.log.info(raw_parquet.sync_raw_parquet(con, settings.raw_parquet).summary())
    folders = spark_build.prepare_folders(settings)
    os.environ.update(folders.environ())  # dbt's profile and hooks read them
    how = f"full (every authority) on Spark, from {settings.raw_parquet}"
    context.log.info(f"dbt build: {how}")
    context.instance.add_run_tags(context.run.run_id, {BUILD_TAG: how})
    state = DbtState(settings.home)
    state.prune_runs(keep=context.run.run_id)
    spark_dbt = WarehouseDbtCli(
        project_dir=dbt_project,
        dbt_executable=str(spark_build.spark_dbt_executable()),
        target="spark",
    )
    build = spark_dbt.cli(
        ["build", *parse_ahead.BUILD_VARS, "--full-refresh"],
        context=context,
        raise_on_error=False,
        target_path=state.target(context.run.run_id, "build-spark"),
    )
    yield from build.stream()
    _raise_unless_models_built(build)
    relations = spark_build.exported_relations(
        build.get_artifact("run_results.json"), build.get_artifact("manifest.json")
    )
    with duckdb.get_connection() as con:
        loaded = spark_build.load_results(con, folders.results, relations)
    context.log.info(
        f"{loaded} tables Spark built loaded into the warehouse from {folders.results}"
    )
    _record_test_outcomes(context, build, duckdb, None)


def _raise_unless_models_built(invocation) -> None:
    """The build's error when a model or seed failed or was skipped; a test that errored is
    recorded with the others (it holds back every authority), not raised."""
    if invocation.is_successful():
        return
    try:
        results = invocation.get_artifact("run_results.json")["results"]
    except Exception:  # noqa: BLE001 - dbt stopped before running anything
        raise invocation.get_error() from None
    unbuilt = [
        f"{r['unique_id']} ({r['status']})"
        for r in results
        if not r["unique_id"].startswith("test.") and r["status"] in ("error", "skipped")
    ]
    if unbuilt:
        raise dg.Failure(
            f"dbt build: {len(unbuilt)} models or seeds not built: {', '.join(unbuilt[:10])}"
        ) from invocation.get_error()


def _record_test_outcomes(
    context: dg.AssetExecutionContext, invocation, duckdb: DuckDBResource, scope
) -> None:
    """quality.check_results rows of the tests, per authority. After a per-authority build the
    tests judged the scope's rows; the other authorities' results are their last run's (their
    rows are unchanged), carried over, as the GX suites' are (defs/quality/checks.py)."""
    from orchestration.lib.quality.dbt_tests import CHECK_NAME, dbt_test_rows
    from orchestration.lib.quality.results import COLUMNS, carry_over, record
    from orchestration.lib.quality.verdicts import authorities_with_new_drops

    try:
        run_results = invocation.get_artifact("run_results.json")
    except Exception as exc:  # noqa: BLE001 - dbt did not get as far as running tests: nothing to judge
        raise dg.Failure(f"dbt build left no run_results.json: {exc!r}") from invocation.get_error()
    run_id = context.run.run_id
    with duckdb.get_connection() as con:
        rows = dbt_test_rows(run_results, invocation.manifest, run_id, con=con)
        if scope is None:
            record(con, rows, run_id, CHECK_NAME)
            return
        # A failed test's stored rows cover every authority (drop_scope): keep the scope's.
        la = COLUMNS.index("la_code")
        record(con, [r for r in rows if r[la] is None or r[la] in scope], run_id, CHECK_NAME)
        _, loaded = authorities_with_new_drops(con, run_id)
        carry_over(con, run_id, CHECK_NAME, sorted(set(loaded) - set(scope)))
