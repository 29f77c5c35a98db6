-- cin_visits_20wd: as cp_visits_10wd for children with an open CIN plan (ssd_cin_plans) and no
-- open CP plan at period end (looked-after status does not exclude them, rule 16), visits from
-- ssd_cin_visits with the child seen, on or after the earliest open CIN plan's start; met if
-- wd(reference, period_end) <= 20 working days (kpi_parameters: working_days_allowed).
with allowed as (
    select {{ kpi_parameter('cin_visits_20wd', 'working_days_allowed') }}::int as working_days_allowed
),

children as (
    select *
    from {{ ref('fct_child_status_month_end') }}
    where is_cin_plan_open and not is_cp_open
),

seen_visits as (
    select la_code, child_key, visit_key, visit_date
    from {{ ref('fct_visits') }}
    where visit_type = 'cin' and is_child_seen
),

latest_visit as (
    -- the latest seen visit on or before the month end; it counts only if on or after plan start
    select
        children.*,
        case when seen_visits.visit_date >= children.cin_plan_start_date then seen_visits.visit_key end as latest_visit_key,
        case when seen_visits.visit_date >= children.cin_plan_start_date then seen_visits.visit_date end as latest_visit_date
    from children
    asof left join seen_visits
        on seen_visits.la_code = children.la_code
       and seen_visits.child_key = children.child_key
       and seen_visits.visit_date <= children.snapshot_date
),

judged as (
    select
        latest_visit.*,
        coalesce(latest_visit.latest_visit_date, latest_visit.cin_plan_start_date) as clock_start_date,
        {{ working_days_between('coalesce(latest_visit.latest_visit_date, latest_visit.cin_plan_start_date)',
                                'latest_visit.snapshot_date') }} as working_days,
        allowed.working_days_allowed
    from latest_visit
    cross join allowed
),

due as (
    -- the day the next visit falls due: the allowed number of working days after the clock start
    select judged.*, due_day.calendar_date as due_date
    from judged
    left join {{ ref('dim_date') }} as clock_day
        on clock_day.calendar_date = judged.clock_start_date
    left join {{ ref('dim_date') }} as due_day
        on due_day.working_day_index = clock_day.working_day_index + judged.working_days_allowed
       and due_day.is_working_day
)

select
    la_code,
    'cin_visits_20wd' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    cin_plan_key,
    cin_plan_start_date,
    latest_visit_key,
    latest_visit_date,
    clock_start_date,
    due_date,
    working_days,
    working_days_allowed,
    worker_key,
    working_days <= working_days_allowed as is_met,
    case when latest_visit_date is not null
         then 'seen ' || working_days || ' working days before month end'
         else 'not seen since CIN plan start ' || working_days || ' working days before month end'
    end || case when working_days > working_days_allowed
                then ', over the ' || working_days_allowed || ' allowed' else '' end as reason,
    (working_days <= working_days_allowed)::int as numerator,
    1 as denominator
from due
