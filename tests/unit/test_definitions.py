"""The Dagster code location loads, with the assets, checks and job the pipeline needs."""

import dagster as dg


def test_definitions_load_with_expected_assets_checks_and_job():
    from orchestration.definitions import defs

    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for expected in [
        "raw/ssd_person",
        "raw/ssd_cin_assessments",
        "raw/ext_staff",
        "raw_meta/load_log",
        "reference/bank_holidays",
        "staging/stg_ssd__cin_assessments",
        "conformed/fct_assessments",
        "conformed/dim_date",
        "kpi/kpi_assessments_45wd_detail",
        "kpi/kpi_scorecard",
        "publish/snapshot",
    ]:
        assert expected in keys, expected
    checks = {(k.asset_key.to_user_string(), k.name) for k in repo.asset_graph.asset_check_keys}
    # row rules on conformed facts are dbt tests, not GX checks (one engine per rule)
    assert not [
        name for key, name in checks if key.startswith("conformed/") and name.startswith("gx_")
    ]
    assert ("conformed/fct_assessments", "column_checks_fct_assessments") in checks
    assert ("kpi/kpi_scorecard", "gx_kpi_scorecard") in checks
    assert (
        "kpi/kpi_scorecard",
        "drift_publication",
    ) in checks  # drift against the last publication
    assert defs.resolve_job_def("warehouse_job") is not None


def test_lineage_runs_from_raw_to_published_snapshot():
    from orchestration.definitions import defs

    graph = defs.get_repository_def().asset_graph
    upstream = graph.upstream_key_iterator(dg.AssetKey(["publish", "snapshot"]))
    seen, todo = set(), list(upstream)
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(graph.get(key).parent_keys)
    assert dg.AssetKey(["raw", "ssd_cin_assessments"]) in seen
    assert dg.AssetKey(["reference", "bank_holidays"]) in seen


def test_sensor_and_schedule_launch_the_warehouse_job():
    from orchestration.definitions import defs

    assert defs.resolve_sensor_def("new_drop_sensor").job_name == "warehouse_job"
    schedule = defs.resolve_schedule_def("daily_schedule")
    assert schedule.job_name == "warehouse_job" and schedule.execution_timezone == "Europe/London"


def test_checks_do_not_block_and_the_gate_runs_after_them_before_publication():
    """No check blocks (a failure holds back its authority through the gate, not the whole run);
    the gate is downstream of every checked asset, with a lower step priority than the checks,
    and both the report and publication wait for it."""
    from orchestration.definitions import defs

    graph = defs.get_repository_def().asset_graph
    gate = dg.AssetKey(["quality", "verdicts"])
    assert not [k for k in graph.asset_check_keys if graph.get_check_spec(k).blocking]
    checked = {k.asset_key for k in graph.asset_check_keys}
    assert checked <= set(graph.get(gate).parent_keys)
    assert gate in graph.get(dg.AssetKey(["quality", "dq_report"])).parent_keys
    assert {gate, dg.AssetKey(["quality", "dq_report"])} <= set(
        graph.get(dg.AssetKey(["publish", "snapshot"])).parent_keys
    )
    job = defs.resolve_job_def("warehouse_job")
    priority = {
        name: int(node.definition.tags.get("dagster/priority", 0))
        for name, node in job.graph.node_dict.items()
    }
    checks = [
        name for name in priority if "_gx_" in name or "drift" in name
    ]  # e.g. kpi__kpi_scorecard_gx_kpi_scorecard
    assert len(checks) >= 4
    assert priority["quality__verdicts"] < min(priority[name] for name in checks)


def test_dfe_validators_feed_the_report_and_never_the_gate():
    """The DfE validators' asset is in the quality group, upstream of the report (which shows its
    findings) and not of the gate: its findings never hold back an authority."""
    from orchestration.definitions import defs

    graph = defs.get_repository_def().asset_graph
    dfe = dg.AssetKey(["quality", "dq_dfe_findings"])
    assert graph.get(dfe).group_name == "quality"
    assert dfe in graph.get(dg.AssetKey(["quality", "dq_report"])).parent_keys
    gate = dg.AssetKey(["quality", "verdicts"])
    upstream_of_gate, todo = set(), [gate]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in upstream_of_gate:
                upstream_of_gate.add(parent)
                todo.append(parent)
    assert dfe not in upstream_of_gate
    assert dg.AssetKey(["raw_meta", "load_log"]) in graph.get(dfe).parent_keys


def test_annex_a_is_its_own_job_not_the_nightly_one():
    from orchestration.definitions import defs
    from orchestration.defs.restricted_outputs.annex_a_asset import VIEW_KEYS
    from orchestration.defs.transform.dbt_assets import warehouse_dbt_models

    key = dg.AssetKey(["restricted_outputs", "annex_a_workbook"])
    graph = defs.get_repository_def().asset_graph
    # Every view it reads is one of the dbt models (a wrong key would be accepted silently).
    assert len(VIEW_KEYS) == 10 and set(VIEW_KEYS) <= set(warehouse_dbt_models.keys)
    assert set(graph.get(key).parent_keys) == set(VIEW_KEYS)
    assert key not in defs.resolve_job_def("warehouse_job").asset_layer.selected_asset_keys
    assert defs.resolve_job_def("annex_a_job").asset_layer.selected_asset_keys == {key}


def test_manager_lists_come_after_publication_and_feed_nothing_published():
    """The identified lists (restricted_outputs/manager_lists) read the published snapshot and are off
    unless CSCW_MANAGER_LISTS turns them on; nothing published is downstream of them."""
    from orchestration.definitions import defs
    from orchestration.lib.settings import load_settings

    graph = defs.get_repository_def().asset_graph
    lists = dg.AssetKey(["restricted_outputs", "manager_lists"])
    assert graph.get(lists).group_name == "restricted_outputs"
    assert dg.AssetKey(["publish", "snapshot"]) in graph.get(lists).parent_keys
    assert not graph.get(lists).child_keys
    assert load_settings({}).manager_lists is False
    assert load_settings({"CSCW_MANAGER_LISTS": "on"}).as_environ()["CSCW_MANAGER_LISTS"] == "on"


def test_the_code_location_does_not_load_the_generator():
    """The synthetic data generator is its own package (cscw_synth) beside the code location:
    loading the definitions imports none of it, and the code location's lib/ holds no copy."""
    import subprocess
    import sys
    from pathlib import Path

    import orchestration

    code = (
        "import sys; from orchestration.definitions import defs; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'cscw_synth' or m.startswith('orchestration.lib.synth')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    # (an old checkout may keep an untracked lib/synth/__pycache__: only source files count)
    assert not list((Path(orchestration.__file__).parent / "lib" / "synth").glob("*.py"))
