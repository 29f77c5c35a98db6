-- assessments_45wd: assessments with their authorisation date in the period; met if
-- wd(start, authorisation) <= 45 working days (kpi_parameters: working_days_allowed).
with allowed as (
    select {{ kpi_parameter('assessments_45wd', 'working_days_allowed') }} as working_days_allowed
)

select
    assessments.la_code,
    'assessments_45wd' as kpi_id,
    assessments.assessment_auth_date as reference_date,
    assessments.team_id,
    assessments.service_area_id,
    assessments.assessment_key,
    assessments.child_key,
    assessments.assessment_start_date,
    assessments.assessment_auth_date,
    assessments.working_days_to_authorisation as working_days,
    allowed.working_days_allowed,
    assessments.source_format,
    assessments.working_days_to_authorisation <= allowed.working_days_allowed as is_met,
    'authorised in ' || assessments.working_days_to_authorisation || ' working days'
    || case when assessments.working_days_to_authorisation > allowed.working_days_allowed
            then ', over the ' || allowed.working_days_allowed::int || ' allowed'
        else ''
    end as reason,
    (assessments.working_days_to_authorisation <= allowed.working_days_allowed)::int as numerator,
    1 as denominator
from {{ ref('fct_assessments') }} as assessments
cross join allowed
where assessments.assessment_auth_date is not null
