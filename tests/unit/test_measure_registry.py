"""The measure registry (seeds/kpi_catalogue.csv) and the detail models fit together: a row
without its detail model, or a detail model without a row, is named here (dbt names them too:
the parse fails on the row's ref, macro kpi_measures on the model without a row)."""

import csv

from orchestration.lib import measures
from orchestration.lib.settings import DBT_PROJECT_DIR, REPO_ROOT

KINDS = {"flow", "snapshot", "monthly", "counted_from"}


def _rows() -> list[dict]:
    with open(REPO_ROOT / "seeds" / "kpi_catalogue.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _detail_models() -> set[str]:
    return {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("kpi_*_detail.sql")}


def test_every_row_has_its_detail_model_and_every_detail_model_a_row():
    rows = _rows()
    own = {f"kpi_{r['kpi_id']}_detail" for r in rows if not r["detail_of"]}
    assert sorted(own - _detail_models()) == [], "catalogue rows without a detail model"
    assert sorted(_detail_models() - own) == [], "detail models without a catalogue row"
    ids = {r["kpi_id"] for r in rows}
    assert [r["kpi_id"] for r in rows if r["detail_of"] and r["detail_of"] not in ids] == []


def test_one_vocabulary_of_kinds_and_shared_details_share_it():
    rows = _rows()
    by_id = {r["kpi_id"]: r for r in rows}
    assert {r["kpi_id"]: r["kind"] for r in rows if r["kind"] not in KINDS} == {}
    shared = [r for r in rows if r["detail_of"]]
    assert [r["kpi_id"] for r in shared if by_id[r["detail_of"]]["detail_of"]] == []
    assert [
        r["kpi_id"]
        for r in shared
        if (r["kind"], r["distinct_numerator"])
        != (by_id[r["detail_of"]]["kind"], by_id[r["detail_of"]]["distinct_numerator"])
    ] == []


def test_snapshot_measures_name_their_unit_and_flows_do_not():
    for r in _rows():
        needs_unit = r["kind"] in ("snapshot", "monthly") and not r["detail_of"]
        assert bool(r["unit_key"].split()) == needs_unit, r["kpi_id"]
        assert r["distinct_numerator"] == "" or r["kind"] == "snapshot", r["kpi_id"]
        assert set(r["breakdowns"].split()) <= {"la", "service_area", "team"}, r["kpi_id"]
        assert r["may_exceed_100"] in ("true", "false"), r["kpi_id"]
        assert r["may_exceed_100"] == "false" or r["unit"] == "percentage", r["kpi_id"]


def test_python_side_reads_the_registry():
    # From the catalogue as written: turnover alone passes 100% (a year's leavers over one day's
    # staff); the two supervision splits are rows of supervision_monthly's detail
    # model, so dbt is not told to parse a model of their own.
    assert measures.may_exceed_100() == ("turnover_rate",)
    own = measures.dbt_environ()[measures.DBT_ENV_VAR].split()
    assert "supervision_monthly" in own
    assert (
        "supervision_monthly_operational" not in own
        and "supervision_monthly_business_support" not in own
    )
    assert len(own) == len(_rows()) - 2
    assert {
        m.detail_model for m in measures.measures() if m.kpi_id.startswith("supervision_monthly")
    } == {"kpi_supervision_monthly_detail"}
    # families in the order they first appear in the catalogue
    assert measures.family_order() == (
        "Front door",
        "Child protection",
        "Children in need",
        "Looked-after children",
        "Child exploitation",
        "Courts and permanence",
        "Workforce and practice quality",
        "Early help and context",
    )
