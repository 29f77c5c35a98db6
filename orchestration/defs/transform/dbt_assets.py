"""raw -> staging -> conformed -> KPI: the dbt project as Dagster assets.

dbt sources `raw.<table>`, `raw_meta.<table>` and `reference.bank_holidays` map to the ingest
assets by their default keys ([source, table]), so lineage runs from the landing files to the
scorecard. Unit tests run in CI (`dbt test`), never in production builds.

A full build replaces every model's rows. When nothing but the landing area changed since the
last run that ended well (`cscw run` decides, from the fingerprint: lib/fingerprint.py), the
build is per authority (macros/by_authority.sql): only the authorities with a drop not yet
published are named in raw_meta.build_scope, and the models and generic tests read, delete and
insert their rows only.

Two dbt invocations in one step, so that one authority's failing test never stops the models of
the others: `dbt build` without tests (a model that fails to build fails the run), then `dbt
test`. Failing tests do not fail the step: their failing rows are stored (schema `audit`) and
their outcomes kept per authority in quality.check_results (check `dbt_tests`), which the gate
`quality/verdicts` judges.
"""

import json

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from orchestration.defs.resources import dbt_project
from orchestration.lib.build_scope import build_scope, drop_scope


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
SCOPE_TAG = "cscw/dbt_scope"  # a per-authority build's authorities (JSON list), for the checks


class BuildConfig(dg.Config):
    # Set by `cscw run` when code and settings are those of the last run that ended well.
    per_authority: bool = False


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
    config: BuildConfig,
):
    with duckdb.get_connection() as con:
        scope = build_scope(con, context.run.run_id, config.per_authority)
    how = (
        "full (every authority)"
        if scope is None
        else f"per authority: {len(scope)} with a new drop ({', '.join(scope) or 'none'}); "
        "the others' rows kept"
    )
    context.log.info(f"dbt build: {how}")
    tags = {BUILD_TAG: how} if scope is None else {BUILD_TAG: how, SCOPE_TAG: json.dumps(scope)}
    context.instance.add_run_tags(context.run.run_id, tags)
    try:
        full = [] if scope is not None else ["--full-refresh"]
        build = dbt.cli(
            ["build", "--exclude", "resource_type:test", *full],
            context=context,
            raise_on_error=False,
        )
        yield from build.stream()
        if not build.is_successful():
            raise build.get_error()
        tests = dbt.cli(["test"], context=context, raise_on_error=False)
        yield from tests.stream()
    finally:
        with duckdb.get_connection() as con:
            drop_scope(con)
    # dbt has exited (and released the warehouse): judge its tests per authority for the gate.
    _record_test_outcomes(context, tests, duckdb)


def _record_test_outcomes(
    context: dg.AssetExecutionContext, invocation, duckdb: DuckDBResource
) -> None:
    from orchestration.lib.quality.dbt_tests import CHECK_NAME, dbt_test_rows
    from orchestration.lib.quality.results import record

    try:
        run_results = invocation.get_artifact("run_results.json")
    except Exception as exc:  # noqa: BLE001 - dbt did not get as far as running tests: nothing to judge
        raise dg.Failure(f"dbt test left no run_results.json: {exc!r}") from invocation.get_error()
    with duckdb.get_connection() as con:
        rows = dbt_test_rows(run_results, invocation.manifest, context.run.run_id, con=con)
        record(con, rows, context.run.run_id, CHECK_NAME)


def build_scope_of_run(context) -> list[str] | None:
    """The authorities this run's dbt step rebuilt; None after a full build (or before dbt)."""
    run = context.instance.get_run_by_id(context.run.run_id)
    tag = run.tags.get(SCOPE_TAG) if run else None
    return None if tag is None else json.loads(tag)
