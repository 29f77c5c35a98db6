-- cp_plans_2y_plus: plans ending in period with end - start >= 730 days (kpi_parameters:
-- days_duration) / plans ending in period. is_met = counted in the numerator (a long plan;
-- lower is better). Team: the child's allocated team on the plan's last open day (the day
-- before its end date, rule 1), since the allocation usually closes with the plan.
with duration as (
    select {{ kpi_parameter('cp_plans_2y_plus', 'days_duration') }}::int as days_duration
),

plans as (
    select
        *,
        null::{{ text_type() }} as event_team_id,
        greatest(plan_end_date - 1, plan_start_date) as last_open_date
    from {{ ref('fct_cp_plans') }}
    where plan_end_date is not null
),

attributed as (
    select * from {{ attribute_to_team('plans', 'event_team_id', 'last_open_date') }}
)

select
    attributed.la_code,
    'cp_plans_2y_plus' as kpi_id,
    attributed.plan_end_date as reference_date,
    attributed.team_id,
    attributed.service_area_id,
    attributed.child_key,
    attributed.cp_plan_key,
    attributed.plan_start_date,
    attributed.plan_end_date,
    attributed.plan_duration_days as interval_days,
    duration.days_duration,
    attributed.source_format,
    attributed.plan_duration_days >= duration.days_duration as is_met,
    'plan lasted ' || attributed.plan_duration_days || ' days, '
    || case when attributed.plan_duration_days >= duration.days_duration then 'at least ' else 'under ' end
    || duration.days_duration as reason,
    (attributed.plan_duration_days >= duration.days_duration)::int as numerator,
    1 as denominator
from attributed
cross join duration
