-- care_proceedings_26w: "ext_care_proceedings concluded in period: met if concluded - issued
-- <= 182 days" (kpi_parameters: days_allowed).
with allowed as (
    select {{ kpi_parameter('care_proceedings_26w', 'days_allowed') }} as days_allowed
)

select
    proceedings.la_code,
    'care_proceedings_26w' as kpi_id,
    proceedings.concluded_date as reference_date,
    proceedings.team_id,
    proceedings.service_area_id,
    proceedings.care_proceedings_key,
    proceedings.child_key,
    proceedings.issued_date,
    proceedings.concluded_date,
    proceedings.outcome,
    proceedings.days_to_conclusion as interval_days,
    allowed.days_allowed,
    proceedings.days_to_conclusion <= allowed.days_allowed as is_met,
    'concluded in ' || proceedings.days_to_conclusion || ' days'
    || case when proceedings.days_to_conclusion > allowed.days_allowed
            then ', over the ' || allowed.days_allowed::int || ' allowed'
        else ''
    end as reason,
    (proceedings.days_to_conclusion <= allowed.days_allowed)::int as numerator,
    1 as denominator
from {{ ref('fct_care_proceedings') }} as proceedings
cross join allowed
where proceedings.concluded_date is not null
