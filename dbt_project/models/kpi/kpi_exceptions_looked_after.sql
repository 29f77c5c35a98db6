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
-- Visits read the measure's own clock (int_cla_visit_clock) on that date; the next review is
-- dated by fct_cla_reviews' schedule (cla_review_due).
with params as (
    select
        {{ kpi_parameter('cla_reviews_first_20wd', 'working_days_allowed') }}::int as first_review_working_days,
        {{ kpi_parameter('cla_reviews_subsequent_timely', 'second_months') }}::int as second_review_months,
        {{ kpi_parameter('cla_reviews_subsequent_timely', 'later_months') }}::int as later_review_months,
        {{ kpi_parameter('missing_rhi_72h', 'hours_allowed') }} as rhi_hours_allowed
),

looked_after as (
    select la_code, as_at_date, child_key, period_of_care_key
    from (
        select
            authority.la_code,
            authority.as_at_date,
            episodes.child_key,
            episodes.period_of_care_key,
            row_number() over (
                partition by authority.la_code, episodes.child_key
                order by episodes.episode_start_date desc, episodes.cla_episode_key asc
            ) as precedence
        from {{ ref('dim_authority') }} as authority
        join {{ ref('fct_cla_episodes') }} as episodes
            on episodes.la_code = authority.la_code
                and episodes.episode_start_date <= authority.as_at_date
                and (episodes.episode_ceased_date is null or episodes.episode_ceased_date > authority.as_at_date)
    ) as ranked
    where precedence = 1
),

visit_items as (
    -- the measure's clock (int_cla_visit_clock) on the data date: the next visit's timescale
    select
        clock.la_code, clock.clock_date as as_at_date, clock.child_key, 'cla_visit' as item,
        clock.next_visit_rule
        || case when clock.latest_visit_date is null then ': first visit within ' else ': visit every ' end
        || clock.next_days_allowed || ' days' as rule,
        clock.latest_visit_date as last_done_date,
        clock.due_date
    from {{ ref('int_cla_visit_clock') }} as clock
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = clock.la_code
            and authority.as_at_date = clock.clock_date
),

latest_reviews as (
    select la_code, as_at_date, child_key, period_of_care_key, care_start_date, review_number, review_date
    from (
        select
            looked_after.*,
            periods.start_date as care_start_date,
            reviews.review_number,
            reviews.review_date,
            row_number() over (
                partition by looked_after.la_code, looked_after.child_key
                order by reviews.review_number desc nulls last
            ) as precedence
        from looked_after
        join {{ ref('fct_periods_of_care') }} as periods
            on periods.la_code = looked_after.la_code
                and periods.period_of_care_key = looked_after.period_of_care_key
        left join {{ ref('fct_cla_reviews') }} as reviews
            on reviews.la_code = looked_after.la_code
                and reviews.period_of_care_key = looked_after.period_of_care_key
                and reviews.review_date <= looked_after.as_at_date
    ) as ranked
    where precedence = 1
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
        -- the next review, numbered after the latest held, by fct_cla_reviews' schedule
        {{ cla_review_due('latest_reviews.care_start_date', 'coalesce(latest_reviews.review_number, 0) + 1',
                          'latest_reviews.review_date') }} as due_date
    from latest_reviews
    cross join params
),

interview_items as (
    select
        authority.la_code, authority.as_at_date, episodes.child_key,
        'return_interview' as item,
        'return interview offered within '
        || params.rhi_hours_allowed::int
        || ' hours of the end of a missing episode' as rule,
        episodes.missing_end_date as last_done_date,
        ({{ add_seconds('episodes.missing_end_datetime', '(params.rhi_hours_allowed * 3600)::bigint') }})::date
            as due_date
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
