-- assessments_rate_10k: "Assessments authorised in period, rate (annualised)." Each authorised
-- assessment is one unit (numerator 1); the scorecard divides by the authority's 0-17
-- population and annualises (x 12 / months in period), so the denominator here is NULL.
select
    la_code,
    'assessments_rate_10k' as kpi_id,
    assessment_auth_date as reference_date,
    team_id,
    service_area_id,
    assessment_key,
    child_key,
    assessment_start_date,
    assessment_auth_date,
    source_format,
    null::boolean as is_met,
    'assessment authorised' as reason,
    1 as numerator,
    null::int as denominator
from {{ ref('fct_assessments') }}
where assessment_auth_date is not null
