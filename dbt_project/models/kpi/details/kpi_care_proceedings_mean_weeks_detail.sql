-- care_proceedings_mean_weeks (no target): "mean of (concluded - issued) / 7 over proceedings
-- concluded in the period" (rule 28): numerator = weeks, denominator = 1 per proceedings.
select
    la_code,
    'care_proceedings_mean_weeks' as kpi_id,
    concluded_date as reference_date,
    team_id,
    service_area_id,
    care_proceedings_key,
    child_key,
    issued_date,
    concluded_date,
    outcome,
    days_to_conclusion as interval_days,
    days_to_conclusion::double / 7 as duration_weeks,
    null::boolean as is_met,
    'concluded in ' || days_to_conclusion || ' days ('
    || {{ round_double('days_to_conclusion::double / 7', 1) }} || ' weeks)' as reason,
    days_to_conclusion::double / 7 as numerator,
    1 as denominator
from {{ ref('fct_care_proceedings') }}
where concluded_date is not null
