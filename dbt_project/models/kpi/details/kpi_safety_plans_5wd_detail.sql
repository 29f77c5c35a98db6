-- safety_plans_5wd: "Meetings in period; met if wd(meeting, safety plan distributed) <= 5."
-- Meetings = RISK_MANAGEMENT_MEETING records, dated by expl_start_date. Never distributed =
-- not met (rule 27).
with allowed as (
    select {{ kpi_parameter('safety_plans_5wd', 'working_days_allowed') }} as working_days_allowed
)

select
    meetings.la_code,
    'safety_plans_5wd' as kpi_id,
    meetings.start_date as reference_date,
    meetings.team_id,
    meetings.service_area_id,
    meetings.exploitation_record_key,
    meetings.child_key,
    meetings.risk_level,
    meetings.start_date as meeting_date,
    meetings.safety_plan_distributed_date,
    meetings.working_days_to_safety_plan as working_days,
    allowed.working_days_allowed,
    coalesce(meetings.working_days_to_safety_plan <= allowed.working_days_allowed, false) as is_met,
    case when meetings.safety_plan_distributed_date is null then 'safety plan not distributed'
        else 'safety plan distributed in ' || meetings.working_days_to_safety_plan || ' working days'
            || case when meetings.working_days_to_safety_plan > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(meetings.working_days_to_safety_plan <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_exploitation') }} as meetings
cross join allowed
where meetings.record_type = 'RISK_MANAGEMENT_MEETING'
