"""When the one `dbt build` of a run fails the step (defs/transform/dbt_assets.py): only when a
model or seed was not built. A failing or erroring test is left to the gate, which judges it
per authority (an erroring test holds back every authority)."""

import dagster as dg
import pytest

from orchestration.defs.transform.dbt_assets import _raise_unless_models_built


class Invocation:
    """The three methods of dagster-dbt's DbtCliInvocation the check uses."""

    def __init__(self, statuses: dict[str, str]):
        self.statuses = statuses

    def is_successful(self) -> bool:
        return all(s in ("success", "pass", "warn") for s in self.statuses.values())

    def get_artifact(self, name):
        assert name == "run_results.json"
        return {"results": [{"unique_id": u, "status": s} for u, s in self.statuses.items()]}

    def get_error(self):
        return RuntimeError("dbt exited 1")


def test_failing_and_erroring_tests_do_not_fail_the_step():
    _raise_unless_models_built(
        Invocation(
            {
                "model.p.fct_a": "success",
                "test.p.unique_fct_a_key": "warn",  # failed, run as a warning
                "test.p.dates_possible_fct_a": "error",  # the test's SQL failed
            }
        )
    )


def test_a_model_that_failed_or_was_skipped_fails_the_step_and_is_named():
    with pytest.raises(dg.Failure) as failed:
        _raise_unless_models_built(
            Invocation(
                {
                    "seed.p.codes": "success",
                    "model.p.fct_a": "error",
                    "model.p.kpi_b": "skipped",
                    "test.p.unique_fct_a_key": "error",
                }
            )
        )
    assert str(failed.value.description) == (
        "dbt build: 2 models or seeds not built: model.p.fct_a (error), model.p.kpi_b (skipped)"
    )
