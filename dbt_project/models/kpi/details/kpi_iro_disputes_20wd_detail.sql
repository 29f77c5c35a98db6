-- iro_disputes_20wd: IRO DISPUTE records raised in the period; met if resolved and
-- wd(raised, resolved) <= 20 (a resolution after the period end counts: rule 4).
with allowed as (
    select {{ kpi_parameter('iro_disputes_20wd', 'working_days_allowed') }} as working_days_allowed
)

select
    disputes.la_code,
    'iro_disputes_20wd' as kpi_id,
    disputes.activity_date as reference_date,
    disputes.team_id,
    disputes.service_area_id,
    disputes.child_key,
    disputes.iro_activity_key,
    disputes.iro_worker_key,
    disputes.activity_date as raised_date,
    disputes.resolved_date,
    disputes.working_days_to_resolution as working_days,
    allowed.working_days_allowed,
    coalesce(disputes.working_days_to_resolution <= allowed.working_days_allowed, false) as is_met,
    case
        when disputes.resolved_date is null then 'not resolved'
        else 'resolved in ' || disputes.working_days_to_resolution || ' working days'
            || case when disputes.working_days_to_resolution > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(disputes.working_days_to_resolution <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_iro_activity') }} as disputes
cross join allowed
where disputes.activity_type = 'DISPUTE'
