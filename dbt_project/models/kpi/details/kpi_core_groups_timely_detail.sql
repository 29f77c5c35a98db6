-- core_groups_timely: children with a CP plan open at period end. If a core group has been held
-- since plan start (on or before period end), met if wd(latest meeting, period_end) <= 20;
-- otherwise met if wd(plan start, period_end) <= 10 (first core group due within 10 working
-- days). Timescales from kpi_parameters (working_days_allowed, first_working_days_allowed).
-- Core groups belong to the child; the earliest open plan's start counts (rule 14).
with allowed as (
    select
        {{ kpi_parameter('core_groups_timely', 'first_working_days_allowed') }}::int as first_working_days_allowed,
        {{ kpi_parameter('core_groups_timely', 'working_days_allowed') }}::int as later_working_days_allowed
),

children as (
    select *
    from {{ ref('fct_child_status_month_end') }}
    where is_cp_open
),

meetings as (
    select la_code, child_key, core_group_key, meeting_date
    from {{ ref('fct_core_groups') }}
),

latest_meeting as (
    select *
    from {{ latest_event_since('children', 'meetings', 'core_group_key', 'meeting_date',
                               'cp_plan_start_date', 'latest_core_group_key', 'latest_meeting_date') }}
),

judged as (
    select
        latest_meeting.*,
        coalesce(latest_meeting.latest_meeting_date, latest_meeting.cp_plan_start_date) as clock_start_date,
        {{ working_days_between('coalesce(latest_meeting.latest_meeting_date, latest_meeting.cp_plan_start_date)',
                                'latest_meeting.snapshot_date') }} as working_days,
        case when latest_meeting.latest_meeting_date is null then allowed.first_working_days_allowed
             else allowed.later_working_days_allowed end as working_days_allowed
    from latest_meeting
    cross join allowed
),

due as (
    -- the day the next core group falls due: the allowed working days after the clock start
    select judged.*, {{ working_days_after('judged.clock_start_date', 'judged.working_days_allowed') }} as due_date
    from judged
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
                then ', over the ' || working_days_allowed || ' allowed' else '' end as reason,
    (working_days <= working_days_allowed)::int as numerator,
    1 as denominator
from due
