"""What the quality gate checks on each conformed fact (pure data, no GX import).

One ``FactSpec`` per conformed model: its key, its child and team columns (referential
integrity to ``dim_child`` / ``dim_team``). Dates out of order (an end before its start) are
a dbt test next to the model (``dates_in_order``, judged on a share per authority), not here.
Each spec becomes one GX suite named after the model
(``suites.py``) and one blocking Dagster check ``gx_<model>`` (``defs/quality/checks.py``),
validated one authority at a time with only the columns the suite needs.

``source`` names the contract table the rows come from, so that a failure can be traced to
the authority's extract (and so tests can map the generator's fault manifest to a suite).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator



@dataclass(frozen=True)
class FactSpec:
    model: str
    key: str
    source: str  # contract table
    child: str | None = "child_key"
    team: str | None = None
    schema: str = "conformed"
    extra_columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def suite(self) -> str:
        return self.model

    def columns(self) -> list[str]:
        cols = ["la_code", self.key]
        for c in (self.child, self.team):
            if c:
                cols.append(c)
        cols += list(self.extra_columns)
        return list(dict.fromkeys(cols))


# fct_assessments keeps its own hand-written suite (suites.py): working days inside the calendar.
FACT_SPECS: tuple[FactSpec, ...] = (
    FactSpec("fct_contacts", "contact_key", "ssd_contacts", team="team_id"),
    FactSpec("fct_referrals", "referral_key", "ssd_cin_episodes", team="team_id"),
    FactSpec("fct_early_help_episodes", "early_help_episode_key", "ssd_early_help_episodes"),
    FactSpec("fct_strategy_discussions", "strategy_discussion_key", "ext_strategy_discussions", team="team_id"),
    FactSpec("fct_s47_enquiries", "s47_enquiry_key", "ssd_s47_enquiry", team="team_id"),
    FactSpec("fct_icpcs", "icpc_key", "ssd_initial_cp_conference", team="team_id"),
    FactSpec("fct_cp_plans", "cp_plan_key", "ssd_cp_plans"),
    FactSpec("fct_cp_reviews", "cp_review_key", "ssd_cp_reviews"),
    FactSpec("fct_visits", "visit_key", "ssd_cp_visits, ssd_cin_visits, ssd_cla_visits"),
    FactSpec("fct_core_groups", "core_group_key", "ext_core_groups"),
    FactSpec("fct_cin_plans", "cin_plan_key", "ssd_cin_plans", team="team_id"),
    FactSpec("fct_cin_reviews", "cin_review_key", "ext_cin_reviews"),
    FactSpec("fct_cla_episodes", "cla_episode_key", "ssd_cla_episodes"),
    FactSpec("fct_periods_of_care", "period_of_care_key", "ssd_cla_episodes"),
    FactSpec("fct_legal_statuses", "legal_status_key", "ssd_legal_status"),
    FactSpec("fct_placements", "placement_key", "ssd_cla_placement"),
    FactSpec("fct_cla_reviews", "cla_review_key", "ssd_cla_reviews", team="team_id"),
    FactSpec("fct_iro_activity", "iro_activity_key", "ext_iro_activity", team="team_id"),
    FactSpec("fct_missing_episodes", "missing_episode_key", "ssd_missing", team="team_id"),
    FactSpec("fct_exploitation", "exploitation_record_key", "ext_exploitation", team="team_id"),
    FactSpec("fct_care_proceedings", "care_proceedings_key", "ext_care_proceedings", team="team_id"),
    FactSpec("fct_pre_proceedings", "pre_proceedings_key", "ext_pre_proceedings", team="team_id"),
    FactSpec("fct_life_story_work", "life_story_work_key", "ext_life_story_work"),
    FactSpec("fct_care_leavers", "care_leaver_key", "ssd_care_leavers", team="team_id"),
    FactSpec("fct_adoption", "adoption_key", "ssd_permanence, ssda903_placed_for_adoption, ssda903_ad1"),
    FactSpec("fct_allocations", "allocation_key", "ssd_involvements", team="team_id"),
    FactSpec("dim_staff", "staff_key", "ext_staff", child=None, team="team_id"),
    # only CASE supervisions concern a child; PERSONAL and GROUP have none by design
    FactSpec("fct_supervisions", "supervision_key", "ext_supervisions", child=None),
    FactSpec("fct_case_audits", "audit_key", "ext_case_audits", team="team_id"),
    FactSpec("fct_vacancies", "vacancy_key", "ext_vacancies", child=None, team="team_id"),
    FactSpec("fct_team_diagnostics", "team_diagnostic_key", "ext_team_diagnostics", child=None, team="team_id"),
)

SPECS_BY_MODEL = {s.model: s for s in FACT_SPECS}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fact_batch_sql(spec: FactSpec, relation: str | None = None, available: set[str] | None = None) -> str:
    """The columns the suite needs for one authority (parameter ``?`` = la_code), with two
    computed flags for referential integrity: ``child_found`` / ``team_found``.

    Columns missing from the table (``available``) are left out, so the expectations on them
    report an error at their own severity instead of failing the whole check."""
    relation = relation or f"{spec.schema}.{spec.model}"
    wanted = [c for c in spec.columns() if available is None or c in available]
    cols = ", ".join(f"f.{_q(c)}" for c in wanted)
    flags = []
    has = (lambda c: available is None or c in available)
    if spec.child and has(spec.child):
        flags.append(
            f"(f.{_q(spec.child)} IS NULL OR EXISTS (SELECT 1 FROM conformed.dim_child d "
            f"WHERE d.la_code = f.la_code AND d.child_key = f.{_q(spec.child)} "
            f"AND NOT d.is_inferred_member)) AS child_found"
        )
    if spec.team and has(spec.team):
        flags.append(
            f"(f.{_q(spec.team)} IS NULL OR f.{_q(spec.team)} = '-1' OR EXISTS (SELECT 1 FROM conformed.dim_team d "
            f"WHERE d.la_code = f.la_code AND d.team_id = f.{_q(spec.team)})) AS team_found"
        )
    select = ", ".join([cols, *flags])
    return f"SELECT {select} FROM {relation} f WHERE f.la_code = ?"


def fact_batches(con: Any, spec: FactSpec, relation: str | None = None) -> Iterator[tuple[str, Any]]:
    relation = relation or f"{spec.schema}.{spec.model}"
    available = {r[0] for r in con.execute(f"SELECT column_name FROM (DESCRIBE {relation})").fetchall()}
    codes = [r[0] for r in con.execute(f"SELECT DISTINCT la_code FROM {relation} ORDER BY 1").fetchall()]
    sql = fact_batch_sql(spec, relation, available)
    for code in codes:
        yield str(code), con.execute(sql, [code]).df()
