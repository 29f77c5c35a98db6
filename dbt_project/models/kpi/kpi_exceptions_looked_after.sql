-- Looked-after exception list, as at each authority's data date (dim_authority.as_at_date):
--   cla_visit: children looked after whose next statutory visit (cla_visits_timely rules,
--     current placement) is overdue or due within the next 5 working days;
--   cla_review: children looked after whose next LAC review (first within 20 working days of
--     entering care, second 3 months after the first, later ones every 6 months) is overdue
--     or due within the next 5 working days;
--   return_interview: missing episodes ended by the data date with no return interview
--     offered yet, the 72 hours passed (overdue) or still running (due_soon).
-- Overdue = the due date is before the data date (for return interviews: the 72 hours ended
-- by midnight after the data date). Worker and team = the child's allocation on the data date.
with params as (
    select
        {{ kpi_parameter('exceptions', 'due_soon_working_days') }} as due_soon_working_days,
        {{ kpi_parameter('cla_visits_timely', 'first_visit_days') }}::int as first_visit_days,
        {{ kpi_parameter('cla_visits_timely', 'interval_days') }}::int as interval_days,
        {{ kpi_parameter('cla_visits_timely', 'long_term_interval_days') }}::int as long_term_interval_days,
        {{ kpi_parameter('cla_reviews_first_20wd', 'working_days_allowed') }}::int as first_review_working_days,
        {{ kpi_parameter('cla_reviews_subsequent_timely', 'second_months') }}::int as second_review_months,
        {{ kpi_parameter('cla_reviews_subsequent_timely', 'later_months') }}::int as later_review_months,
        {{ kpi_parameter('missing_rhi_72h', 'hours_allowed') }} as rhi_hours_allowed
),

looked_after as (
    select
        authority.la_code,
        authority.as_at_date,
        episodes.child_key,
        episodes.period_of_care_key
    from {{ ref('dim_authority') }} as authority
    join {{ ref('fct_cla_episodes') }} as episodes
        on episodes.la_code = authority.la_code
       and episodes.episode_start_date <= authority.as_at_date
       and (episodes.episode_ceased_date is null or episodes.episode_ceased_date > authority.as_at_date)
    qualify row_number() over (
        partition by authority.la_code, episodes.child_key
        order by episodes.episode_start_date desc, episodes.cla_episode_key) = 1
),

current_placements as (
    select looked_after.*, placements.placement_start_date, placements.first_year_end_date,
           placements.is_long_term_fostering
    from looked_after
    join {{ ref('fct_placements') }} as placements
        on placements.la_code = looked_after.la_code
       and placements.child_key = looked_after.child_key
       and placements.placement_start_date <= looked_after.as_at_date
       and (placements.placement_end_date is null or placements.placement_end_date > looked_after.as_at_date)
    qualify row_number() over (
        partition by looked_after.la_code, looked_after.child_key
        order by placements.placement_start_date desc, placements.placement_key) = 1
),

seen_visits as (
    select la_code, child_key, visit_date
    from {{ ref('fct_cla_visits') }}
    where is_child_seen
),

latest_visits as (
    select
        current_placements.*,
        case when seen_visits.visit_date >= current_placements.placement_start_date
             then seen_visits.visit_date end as latest_visit_date
    from current_placements
    asof left join seen_visits
        on seen_visits.la_code = current_placements.la_code
       and seen_visits.child_key = current_placements.child_key
       and seen_visits.visit_date <= current_placements.as_at_date
),

visit_items as (
    -- which interval applies next: a long-term fostering placement moves to the long interval
    -- at the end of its first year, so a visit whose short interval would run past that day is
    -- next due on the long interval
    select
        latest_visits.la_code, latest_visits.as_at_date, latest_visits.child_key,
        'cla_visit' as item,
        case
            when latest_visit_date is null
                then 'no visit yet since the placement started: first visit within ' || params.first_visit_days || ' days'
            when is_long_term_fostering
                 and (as_at_date >= first_year_end_date or latest_visit_date + params.interval_days + 1 >= first_year_end_date)
                then 'long-term fostering after the first year: visit every ' || params.long_term_interval_days || ' days'
            when as_at_date < first_year_end_date
                then 'placement in its first year: visit every ' || params.interval_days || ' days'
            else 'placement after its first year, not long-term fostering: visit every ' || params.interval_days || ' days'
        end as rule,
        latest_visit_date as last_done_date,
        case
            when latest_visit_date is null then placement_start_date + params.first_visit_days
            when is_long_term_fostering
                 and (as_at_date >= first_year_end_date or latest_visit_date + params.interval_days + 1 >= first_year_end_date)
                then latest_visit_date + params.long_term_interval_days
            else latest_visit_date + params.interval_days
        end as due_date
    from latest_visits
    cross join params
),

latest_reviews as (
    select
        looked_after.*,
        periods.start_date as care_start_date,
        reviews.review_number,
        reviews.review_date
    from looked_after
    join {{ ref('fct_periods_of_care') }} as periods
        on periods.la_code = looked_after.la_code
       and periods.period_of_care_key = looked_after.period_of_care_key
    left join {{ ref('fct_cla_reviews') }} as reviews
        on reviews.la_code = looked_after.la_code
       and reviews.period_of_care_key = looked_after.period_of_care_key
       and reviews.review_date <= looked_after.as_at_date
    qualify row_number() over (
        partition by looked_after.la_code, looked_after.child_key
        order by reviews.review_number desc nulls last) = 1
),

first_review_due_dates as (
    select
        latest_reviews.la_code,
        latest_reviews.child_key,
        min(due_day.calendar_date) as due_date
    from latest_reviews
    cross join params
    join {{ ref('dim_date') }} as start_day
        on start_day.calendar_date = latest_reviews.care_start_date
    join {{ ref('dim_date') }} as due_day
        on due_day.working_day_index = start_day.working_day_index + params.first_review_working_days
       and due_day.is_working_day
    where latest_reviews.review_number is null
    group by all
),

review_items as (
    select
        latest_reviews.la_code, latest_reviews.as_at_date, latest_reviews.child_key,
        'cla_review' as item,
        case
            when latest_reviews.review_number is null
                then 'first review within ' || params.first_review_working_days || ' working days of entering care'
            when latest_reviews.review_number = 1
                then 'second review within ' || params.second_review_months || ' months of the first'
            else 'later reviews every ' || params.later_review_months || ' months'
        end as rule,
        latest_reviews.review_date as last_done_date,
        case
            when latest_reviews.review_number is null then first_review_due_dates.due_date
            when latest_reviews.review_number = 1
                then (latest_reviews.review_date + to_months(params.second_review_months))::date
            else (latest_reviews.review_date + to_months(params.later_review_months))::date
        end as due_date
    from latest_reviews
    cross join params
    left join first_review_due_dates
        on first_review_due_dates.la_code = latest_reviews.la_code
       and first_review_due_dates.child_key = latest_reviews.child_key
),

interview_items as (
    select
        authority.la_code, authority.as_at_date, episodes.child_key,
        'return_interview' as item,
        'return interview offered within ' || params.rhi_hours_allowed::int || ' hours of the end of a missing episode' as rule,
        episodes.missing_end_date as last_done_date,
        (episodes.missing_end_datetime + to_seconds((params.rhi_hours_allowed * 3600)::bigint))::date as due_date
    from {{ ref('dim_authority') }} as authority
    cross join params
    join {{ ref('fct_missing_episodes') }} as episodes
        on episodes.la_code = authority.la_code
       and episodes.missing_end_date <= authority.as_at_date
    where episodes.first_offered_datetime is null
),

items as (
    select *, due_date < as_at_date as is_overdue from visit_items
    union all
    select *, due_date < as_at_date from review_items
    union all
    -- the limit passed by midnight after the data date
    select *, due_date <= as_at_date from interview_items
),

classified as (
    select
        items.*,
        case
            when is_overdue then 'overdue'
            when {{ working_days_between('as_at_date', 'due_date') }} <= params.due_soon_working_days then 'due_soon'
        end as status,
        -- overdue: working days past the due date; due soon: minus the working days left
        case when is_overdue then {{ working_days_between('due_date', 'as_at_date') }}
             else -{{ working_days_between('as_at_date', 'due_date') }} end as working_days_overdue
    from items
    cross join params
),

allocated as (
    select
        authority.la_code,
        allocations.child_key,
        allocations.worker_key,
        allocations.team_id,
        allocations.service_area_id
    from {{ ref('dim_authority') }} as authority
    join {{ ref('fct_allocations') }} as allocations
        on allocations.la_code = authority.la_code
       and allocations.start_date <= authority.as_at_date
       and (allocations.end_date is null or allocations.end_date > authority.as_at_date)
    qualify row_number() over (
        partition by authority.la_code, allocations.child_key
        order by allocations.start_date desc, allocations.allocation_key) = 1
)

select
    classified.la_code,
    classified.as_at_date,
    classified.child_key,
    allocated.worker_key,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(teams.team_name, 'Unknown team') as team_name,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    classified.item,
    classified.rule,
    classified.last_done_date,
    classified.due_date,
    classified.status,
    classified.working_days_overdue
from classified
left join allocated
    on allocated.la_code = classified.la_code
   and allocated.child_key = classified.child_key
left join {{ ref('dim_team') }} as teams
    on teams.la_code = classified.la_code
   and teams.team_id = coalesce(allocated.team_id, '-1')
where classified.status is not null
