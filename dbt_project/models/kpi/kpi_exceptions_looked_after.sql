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
{%- set next_day_past_short_interval = 'greatest(as_at_date, latest_visit_date + interval_days + 1)' %}
with params as (
    select
        {{ cla_visit_parameters('int') }},
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

latest_visits as (
    {{ cla_current_placement_visits('looked_after', 'as_at_date') }}
),

visit_clock as (
    -- the interval that applies next: a long-term fostering placement moves to the long
    -- interval at the end of its first year, so a visit whose short interval would run past
    -- that day is next due on the long interval
    select
        latest_visits.*,
        {{ cla_visit_rule('as_at_date', long_term_on=next_day_past_short_interval) }} as visit_rule,
        {{ cla_visit_days_allowed(next_day_past_short_interval) }} as days_allowed
    from latest_visits
    cross join params
),

visit_items as (
    select
        la_code, as_at_date, child_key, 'cla_visit' as item,
        visit_rule
            || case when latest_visit_date is null then ': first visit within ' else ': visit every ' end
            || days_allowed || ' days' as rule,
        latest_visit_date as last_done_date,
        coalesce(latest_visit_date, placement_start_date) + days_allowed as due_date
    from visit_clock
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
            when latest_reviews.review_number is null
                then {{ working_days_after('latest_reviews.care_start_date', 'params.first_review_working_days') }}
            when latest_reviews.review_number = 1
                then (latest_reviews.review_date + to_months(params.second_review_months))::date
            else (latest_reviews.review_date + to_months(params.later_review_months))::date
        end as due_date
    from latest_reviews
    cross join params
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

exceptions as (
    -- a return interview is overdue once its limit passed by midnight after the data date
    {{ exception_list([
        ('visit_items', 'day_after_due'),
        ('review_items', 'day_after_due'),
        ('interview_items', 'due_date'),
    ]) }}
)

select * from exceptions
