-- Exception list for child protection and children in need, as at each authority's data date
-- (dim_authority.as_at_date): every child whose CP visit, core group, CP review, CIN visit or
-- CIN review is overdue, or falls due within the next N working days (kpi_parameters:
-- exceptions, due_soon_working_days), with the allocated worker and team on that date.
-- Rules and timescales are those of the measures (cp_visits_10wd, core_groups_timely,
-- cp_reviews_timely, cin_visits_20wd, cin_reviews_timely); everything is judged at the data date.
with params as (
    select
        {{ kpi_parameter('exceptions', 'due_soon_working_days') }}::int as due_soon_working_days,
        {{ kpi_parameter('cp_visits_10wd', 'working_days_allowed') }}::int as cp_visit_working_days,
        {{ kpi_parameter('core_groups_timely', 'first_working_days_allowed') }}::int as core_group_first_working_days,
        {{ kpi_parameter('core_groups_timely', 'working_days_allowed') }}::int as core_group_working_days,
        {{ kpi_parameter('cp_reviews_timely', 'first_months') }}::int as cp_review_first_months,
        {{ kpi_parameter('cp_reviews_timely', 'later_months') }}::int as cp_review_later_months,
        {{ kpi_parameter('cin_visits_20wd', 'working_days_allowed') }}::int as cin_visit_working_days,
        {{ kpi_parameter('cin_reviews_timely', 'first_months') }}::int as cin_review_first_months,
        {{ kpi_parameter('cin_reviews_timely', 'later_months') }}::int as cin_review_later_months
),

open_cp_plans as (
    -- plans open at the data date (rule 1)
    select plans.la_code, authority.as_at_date, plans.child_key, plans.cp_plan_key, plans.plan_start_date
    from {{ ref('fct_cp_plans') }} as plans
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = plans.la_code
       and plans.plan_start_date <= authority.as_at_date
       and (plans.plan_end_date is null or plans.plan_end_date > authority.as_at_date)
),

open_cin_plans as (
    select plans.la_code, authority.as_at_date, plans.child_key, plans.cin_plan_key, plans.plan_start_date
    from {{ ref('fct_cin_plans') }} as plans
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = plans.la_code
       and plans.plan_start_date <= authority.as_at_date
       and (plans.plan_end_date is null or plans.plan_end_date > authority.as_at_date)
),

cp_children as (
    -- a child with several open CP plans is judged from the earliest start (rule 14)
    select la_code, as_at_date, child_key, min(plan_start_date) as plan_start_date
    from open_cp_plans
    group by la_code, as_at_date, child_key
),

cin_children as (
    -- open CIN plan and no open CP plan (rule 16)
    select cin.la_code, cin.as_at_date, cin.child_key, min(cin.plan_start_date) as plan_start_date
    from open_cin_plans as cin
    left join cp_children as cp
        on cp.la_code = cin.la_code
       and cp.child_key = cin.child_key
    where cp.child_key is null
    group by cin.la_code, cin.as_at_date, cin.child_key
),

cp_visit_clock as (
    select
        children.la_code, children.as_at_date, children.child_key, children.plan_start_date,
        max(visits.visit_date) as last_done_date
    from cp_children as children
    left join {{ ref('fct_visits') }} as visits
        on visits.la_code = children.la_code
       and visits.child_key = children.child_key
       and visits.visit_type = 'cp'
       and visits.is_child_seen
       and visits.visit_date between children.plan_start_date and children.as_at_date
    group by all
),

cin_visit_clock as (
    select
        children.la_code, children.as_at_date, children.child_key, children.plan_start_date,
        max(visits.visit_date) as last_done_date
    from cin_children as children
    left join {{ ref('fct_visits') }} as visits
        on visits.la_code = children.la_code
       and visits.child_key = children.child_key
       and visits.visit_type = 'cin'
       and visits.is_child_seen
       and visits.visit_date between children.plan_start_date and children.as_at_date
    group by all
),

core_group_clock as (
    select
        children.la_code, children.as_at_date, children.child_key, children.plan_start_date,
        max(core_groups.meeting_date) as last_done_date
    from cp_children as children
    left join {{ ref('fct_core_groups') }} as core_groups
        on core_groups.la_code = children.la_code
       and core_groups.child_key = children.child_key
       and core_groups.meeting_date between children.plan_start_date and children.as_at_date
    group by all
),

cp_review_clock as (
    -- reviews are scheduled per plan (rule 15)
    select
        plans.la_code, plans.as_at_date, plans.child_key, plans.plan_start_date,
        max(reviews.review_date) as last_done_date
    from open_cp_plans as plans
    left join {{ ref('fct_cp_reviews') }} as reviews
        on reviews.la_code = plans.la_code
       and reviews.cp_plan_key = plans.cp_plan_key
       and reviews.review_date <= plans.as_at_date
    group by all
),

cin_review_clock as (
    select
        plans.la_code, plans.as_at_date, plans.child_key, plans.plan_start_date,
        max(reviews.review_date) as last_done_date
    from open_cin_plans as plans
    left join {{ ref('fct_cin_reviews') }} as reviews
        on reviews.la_code = plans.la_code
       and reviews.cin_plan_key = plans.cin_plan_key
       and reviews.review_date <= plans.as_at_date
    group by all
),

timers as (
    -- one row per child and item: when the clock started and the timescale that applies
    -- (working days or calendar months)
    select la_code, as_at_date, child_key, 'cp_visit' as item,
           'CP plan: seen every ' || params.cp_visit_working_days || ' working days' as rule,
           last_done_date, coalesce(last_done_date, plan_start_date) as clock_start_date,
           params.cp_visit_working_days as working_days_allowed, null::int as months_allowed
    from cp_visit_clock cross join params
    union all
    select la_code, as_at_date, child_key, 'core_group',
           case when last_done_date is null
                then 'CP plan: first core group within ' || params.core_group_first_working_days || ' working days of plan start'
                else 'CP plan: core group every ' || params.core_group_working_days || ' working days' end,
           last_done_date, coalesce(last_done_date, plan_start_date),
           case when last_done_date is null then params.core_group_first_working_days
                else params.core_group_working_days end,
           null
    from core_group_clock cross join params
    union all
    select la_code, as_at_date, child_key, 'cp_review',
           case when last_done_date is null
                then 'CP plan: first review conference within ' || params.cp_review_first_months || ' months of plan start'
                else 'CP plan: review conference every ' || params.cp_review_later_months || ' months' end,
           last_done_date, coalesce(last_done_date, plan_start_date),
           null,
           case when last_done_date is null then params.cp_review_first_months else params.cp_review_later_months end
    from cp_review_clock cross join params
    union all
    select la_code, as_at_date, child_key, 'cin_visit',
           'CIN plan: seen every ' || params.cin_visit_working_days || ' working days',
           last_done_date, coalesce(last_done_date, plan_start_date),
           params.cin_visit_working_days, null
    from cin_visit_clock cross join params
    union all
    select la_code, as_at_date, child_key, 'cin_review',
           case when last_done_date is null
                then 'CIN plan: first review within ' || params.cin_review_first_months || ' months of plan start'
                else 'CIN plan: review every ' || params.cin_review_later_months || ' months' end,
           last_done_date, coalesce(last_done_date, plan_start_date),
           null,
           case when last_done_date is null then params.cin_review_first_months else params.cin_review_later_months end
    from cin_review_clock cross join params
),

due as (
    -- working-day timescales: due on the Nth working day after the clock start;
    -- month timescales: the clock start plus N calendar months (month-end clipped)
    select
        timers.*,
        clock_day.working_day_index as clock_day_index,
        coalesce(due_day.calendar_date, (timers.clock_start_date + to_months(timers.months_allowed))::date) as due_date
    from timers
    left join {{ ref('dim_date') }} as clock_day
        on clock_day.calendar_date = timers.clock_start_date
    left join {{ ref('dim_date') }} as due_day
        on timers.working_days_allowed is not null
       and due_day.working_day_index = clock_day.working_day_index + timers.working_days_allowed
       and due_day.is_working_day
),

statused as (
    -- wd(a, b) from the calendar's cumulative working-day index (as working_days_between(),
    -- written as plain joins: three look-ups per row)
    select
        due.*,
        case when due.working_days_allowed is not null
             then greatest(as_at_day.working_day_index - due.clock_day_index, 0) > due.working_days_allowed
             else due.as_at_date > due.due_date end as is_overdue,
        greatest(due_date_day.working_day_index - as_at_day.working_day_index, 0) as working_days_to_due,
        greatest(as_at_day.working_day_index - due_date_day.working_day_index, 0) as working_days_past_due
    from due
    left join {{ ref('dim_date') }} as as_at_day
        on as_at_day.calendar_date = due.as_at_date
    left join {{ ref('dim_date') }} as due_date_day
        on due_date_day.calendar_date = due.due_date
),

allocations as (
    -- the allocated worker and team at the data date: the latest-starting open allocation
    select allocations.la_code, allocations.child_key, allocations.worker_key, allocations.team_id,
           allocations.service_area_id
    from {{ ref('fct_allocations') }} as allocations
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = allocations.la_code
       and allocations.start_date <= authority.as_at_date
       and (allocations.end_date is null or allocations.end_date > authority.as_at_date)
    qualify row_number() over (
        partition by allocations.la_code, allocations.child_key
        order by allocations.start_date desc, allocations.allocation_key) = 1
)

select
    statused.la_code,
    statused.as_at_date,
    statused.child_key,
    allocations.worker_key,
    coalesce(allocations.team_id, '-1') as team_id,
    coalesce(team.team_name, 'Unknown team') as team_name,
    coalesce(allocations.service_area_id, '-1') as service_area_id,
    statused.item,
    statused.rule,
    statused.last_done_date,
    statused.due_date,
    case when statused.is_overdue then 'overdue' else 'due_soon' end as status,
    -- working days past the due date; for items due soon, minus the working days left
    case when statused.is_overdue then statused.working_days_past_due
         else -statused.working_days_to_due end as working_days_overdue
from statused
cross join params
left join allocations
    on allocations.la_code = statused.la_code
   and allocations.child_key = statused.child_key
left join {{ ref('dim_team') }} as team
    on team.la_code = statused.la_code
   and team.team_id = coalesce(allocations.team_id, '-1')
where statused.is_overdue
   or statused.working_days_to_due <= params.due_soon_working_days
