-- Adoption decisions: one row per decision that a child should be placed for adoption (the
-- LA's ADM decision), with the steps that followed it: the match with adopters, the placement
-- with them, or the reversal of the decision (date and reason). From the SSD permanence table
-- or the SSDA903 (placed for adoption + AD1), one precedence rule (int_adoption__sources,
-- docs/returns.md); source_format says which. A decision is reversed when it has a reversal date.
select
    la_code,
    adoption_key,
    child_key,
    period_of_care_key,
    decision_date,
    matched_date,
    placed_for_adoption_date,
    decision_reversed_date,
    decision_reversed_reason,
    decision_reversed_date is not null as is_decision_reversed,
    is_adopted_by_foster_carer,
    extract_date,
    source_format
from {{ ref('int_adoption__sources') }}
