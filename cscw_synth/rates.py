"""Every parameter of the simulation in one place.

Rates are national-ish defaults (DfE statistics, year to 31 March 2025, and the improvement
documents under `shared/domain/`). Each authority draws its own values around them (see
`AuthorityRates.draw`), and each team varies around its authority, so that RAG ratings differ
between authorities and between teams.
"""

from dataclasses import dataclass, fields, replace

import numpy as np

DEMO_LA_CODE = "884"
DEMO_CHILDREN = 36_000  # Herefordshire-sized
MIN_CHILDREN, MAX_CHILDREN = 20_000, 250_000


@dataclass(frozen=True)
class Rates:
    # ---- volumes (per 10,000 children aged 0-17 per year unless stated) ----
    referrals_per_10k: float = 550.0
    mash_conversion: float = 0.20  # share of MASH contacts that become a referral
    ehh_contacts_per_referral: float = 0.8  # Early Help Hub contacts per referral
    recontact_known_child: float = 0.35  # share of non-referral contacts about a known child
    # ---- re-referral chain ----
    rereferral_within_12m: float = 0.27  # a closed episode followed by a referral within 12 months
    rereferral_later: float = 0.12  # ... or later than 12 months
    # ---- front door ----
    mash_decided_24h: float = 0.90
    ehh_decided_72h: float = 0.92
    referral_nfa: float = 0.06  # referrals closed without assessment
    # ---- assessment ----
    assessment_45wd: float = 0.86
    # ---- routes after referral (shares of assessed referrals) ----
    s47_route: float = 0.36
    transfer_in_icpc: float = 0.04  # share of the S47 route that is an ICPC transfer-in instead
    cin_plan_after_assessment: float = 0.33
    direct_cla: float = 0.045  # emergency / s20 entries straight from a referral
    strategy_1wd: float = 0.88
    s47_initiated: float = 0.93
    s47_15wd: float = 0.80
    s47_to_icpc: float = 0.33
    s47_nfa: float = 0.37
    icpc_15wd: float = 0.81
    icpc_cp_plan: float = 0.88
    # ---- child protection ----
    cp_median_days: float = 235.0
    cp_sigma: float = 0.62  # lognormal spread: ~3% of plans last two years or more
    cp_to_cin_stepdown: float = 0.60
    cp_to_pre_proceedings: float = 0.17
    pre_proceedings_issue: float = 0.45
    pre_proceedings_12w: float = 0.72
    cp_to_s20: float = 0.06
    cp_visit_late: float = 0.08  # share of CP visit gaps longer than 10 working days
    cp_review_late: float = 0.09
    core_group_late: float = 0.10
    core_group_record_late: float = 0.12
    # ---- children in need ----
    cin_median_days: float = 170.0
    cin_visit_late: float = 0.10
    cin_review_late: float = 0.12
    # ---- looked after ----
    cla_short_share: float = 0.40  # periods of care that end within about a year
    cla_short_mean_days: float = 160.0
    cla_long_mean_days: float = 2000.0
    care_order_mean_days: float = 5000.0  # care orders mostly last until 18
    placement_moves_per_year: float = 0.45
    long_term_fostering: float = 0.35  # placements that are U1/U4
    cla_visit_late: float = 0.07
    cla_review_late: float = 0.07
    cla_review_cancelled: float = 0.05
    cla_participation: float = 0.90
    iro_consulted: float = 0.86
    admin_late: float = 0.12
    missing_child_share: float = 0.12  # looked-after children with missing episodes
    missing_episodes_mean: float = 3.0
    rhi_offered_72h: float = 0.85
    iro_oversight_per_year: float = 2.6
    iro_dispute_per_child_year: float = 0.06
    iro_dispute_20wd: float = 0.75
    adoption_route: float = 0.10
    life_story_completed: float = 0.7
    # ---- early help / exploitation ----
    early_help_median_days: float = 150.0
    exploitation_share: float = 0.12  # adolescents open to CSC with exploitation work
    exploitation_ra_5wd: float = 0.80
    rmm_timely: float = 0.85
    safety_plan_5wd: float = 0.85
    # ---- workforce ----
    caseload_target: float = (
        20.0  # children per full-caseload FTE (practitioners and NQSWs hold less)
    )
    team_size: int = 7  # case-holding positions per team
    part_time_share: float = 0.15
    nqsw_share: float = 0.12
    nqsw_capacity: float = 0.6  # NQSW caseload relative to a social worker
    agency_share: float = 0.17  # share of social work FTE held by agency workers at any time
    permanent_tenure_years: float = 5.5
    agency_tenure_years: float = 0.9
    supervision_monthly: float = 0.80
    case_supervision_monthly: float = 0.75
    unallocated: float = 0.015
    audits_per_team_month: float = 3.0
    audit_good_or_better: float = 0.40
    audit_inadequate: float = 0.15
    audit_action_overdue: float = 0.20
    # ---- data quality (clean data) ----
    team_missing_on_event: float = 0.05  # event team columns left blank
    # ---- simulation ----
    burn_in_years: int = 12  # journeys start this long before the window so stocks are settled
    max_generations: int = 12
    referral_calibration: float = 1.12  # follow-ups lost past the extract date or at age 18


# Parameters drawn per authority: name -> relative (lognormal) or absolute (normal) spread.
_SPREAD = {
    "referrals_per_10k": ("rel", 0.22),
    "rereferral_within_12m": ("abs", 0.04),
    "mash_decided_24h": ("abs", 0.04),
    "assessment_45wd": ("abs", 0.05),
    "icpc_15wd": ("abs", 0.07),
    "s47_to_icpc": ("rel", 0.15),
    "cp_median_days": ("rel", 0.12),
    "direct_cla": ("rel", 0.2),
    "cla_long_mean_days": ("rel", 0.12),
    "caseload_target": ("abs", 1.5),
    "supervision_monthly": ("abs", 0.06),
    "case_supervision_monthly": ("abs", 0.07),
    "audit_good_or_better": ("abs", 0.07),
    "agency_share": ("abs", 0.06),
    "cp_visit_late": ("rel", 0.3),
    "cla_visit_late": ("rel", 0.3),
}


def draw_authority_rates(rng: np.random.Generator, base: Rates = Rates()) -> Rates:
    """The authority's own rates: the defaults moved by a deterministic draw."""
    changes = {}
    for f in fields(base):
        if f.name not in _SPREAD:
            continue
        kind, s = _SPREAD[f.name]
        v = getattr(base, f.name)
        new = v * float(np.exp(rng.normal(0, s))) if kind == "rel" else v + float(rng.normal(0, s))
        if 0 < v < 1:
            new = float(np.clip(new, 0.02, 0.98))
        changes[f.name] = new
    return replace(base, **changes)


def authority_children(rng: np.random.Generator) -> int:
    """0-17 population of a generated authority (log-uniform between the bounds)."""
    lo, hi = np.log(MIN_CHILDREN), np.log(MAX_CHILDREN)
    return int(round(float(np.exp(rng.uniform(lo, hi))), -2))
