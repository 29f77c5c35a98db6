-- pre_proceedings_12w: "ssd_pre_proceedings concluded in period (step-down or issue date): met if
-- concluded within days_allowed days of the pre-proceedings decision" (12 weeks, kpi_parameters).
-- Rule 28: concluded on prep_agree_stepdown_issue_date; no decision date = not met.
{% set kpi_id = 'pre_proceedings_12w' %}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'days_allowed') }} as days_allowed
)

select
    records.la_code,
    '{{ kpi_id }}' as kpi_id,
    records.concluded_date as reference_date,
    records.team_id,
    records.service_area_id,
    records.pre_proceedings_key,
    records.child_key,
    records.decision_date,
    records.concluded_date,
    records.days_to_conclusion as interval_days,
    allowed.days_allowed,
    coalesce(records.days_to_conclusion <= allowed.days_allowed, false) as is_met,
    case when records.decision_date is null then 'no pre-proceedings decision date'
         else 'concluded ' || records.days_to_conclusion || ' days after the decision'
              || case when records.days_to_conclusion > allowed.days_allowed
                      then ', over the ' || allowed.days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(records.days_to_conclusion <= allowed.days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_pre_proceedings') }} as records
cross join allowed
where records.concluded_date is not null
