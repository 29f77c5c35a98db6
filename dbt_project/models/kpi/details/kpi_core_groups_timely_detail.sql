-- core_groups_timely: children with a CP plan open at period end. If a core group has been held
-- since plan start (on or before period end), met if wd(latest meeting, period_end) <= 20;
-- otherwise met if wd(plan start, period_end) <= 10 (first core group due within 10 working
-- days). Timescales from kpi_parameters (working_days_allowed, first_working_days_allowed).
-- Core groups belong to the child; the earliest open plan's start counts (rule 14). The clock
-- (latest meeting, due date) is int_core_group_clock, shared with the exception list.
with children as (
    select *
    from {{ ref('fct_child_status_month_end') }}
    where is_cp_open
),

due as (
    -- the child's core group clock at the month end (int_core_group_clock)
    select
        children.*,
        clock.latest_event_key as latest_core_group_key,
        clock.latest_event_date as latest_meeting_date,
        clock.clock_start_date,
        clock.due_date,
        clock.working_days,
        clock.working_days_allowed
    from children
    left join {{ ref('int_core_group_clock') }} as clock
        on clock.la_code = children.la_code
            and clock.clock_date = children.snapshot_date
            and clock.child_key = children.child_key
)

select
    la_code,
    'core_groups_timely' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    cp_plan_key,
    cp_plan_start_date,
    latest_core_group_key,
    latest_meeting_date,
    clock_start_date,
    due_date,
    working_days,
    working_days_allowed,
    worker_key,
    working_days <= working_days_allowed as is_met,
    case when latest_meeting_date is not null
            then 'latest core group ' || working_days || ' working days before month end'
        else 'no core group yet, plan started ' || working_days || ' working days before month end'
    end || case when working_days > working_days_allowed
            then ', over the ' || working_days_allowed || ' allowed'
        else ''
    end as reason,
    (working_days <= working_days_allowed)::int as numerator,
    1 as denominator
from due
