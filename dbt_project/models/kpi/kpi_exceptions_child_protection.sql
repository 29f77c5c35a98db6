-- Exception list for child protection and children in need, as at each authority's data date
-- (dim_authority.as_at_date): every child whose CP visit, core group, CP review, CIN visit or
-- CIN review is overdue, or falls due within the next N working days (kpi_parameters:
-- exceptions, due_soon_working_days), with the allocated worker and team on that date.
-- Rules and timescales are those of the measures (cp_visits_10wd, core_groups_timely,
-- cp_reviews_timely, cin_visits_20wd, cin_reviews_timely); everything is judged at the data date.
-- Visits and core groups read the measures' own clocks (int_cp_visit_clock, int_cin_visit_clock,
-- int_core_group_clock) on that date; the next review is dated by the measures' schedule macro.
-- Working-day timescales fall due on the Nth working day after the clock start; month
-- timescales on the clock start plus N calendar months (month-end clipped).
-- CP and CIN plans are scheduled alike (visits, reviews): one block per plan type.
{%- set plan_types = [
    {'type': 'cp', 'label': 'CP plan', 'review': 'review conference'},
    {'type': 'cin', 'label': 'CIN plan', 'review': 'review'},
] %}
with params as (
    select
        {{ kpi_parameter('cp_reviews_timely', 'first_months') }}::int as cp_review_first_months,
        {{ kpi_parameter('cp_reviews_timely', 'later_months') }}::int as cp_review_later_months,
        {{ kpi_parameter('cin_reviews_timely', 'first_months') }}::int as cin_review_first_months,
        {{ kpi_parameter('cin_reviews_timely', 'later_months') }}::int as cin_review_later_months
),
{% for p in plan_types %}
    {{ p.type }}_visits as (
    -- the measure's clock (int_{{ p.type }}_visit_clock) on the data date
        select
            clock.la_code, clock.clock_date as as_at_date, clock.child_key, '{{ p.type }}_visit' as item,
            '{{ p.label }}: seen every ' || clock.working_days_allowed || ' working days' as rule,
            clock.latest_event_date as last_done_date,
            clock.due_date
        from {{ ref('int_' ~ p.type ~ '_visit_clock') }} as clock
        join {{ ref('dim_authority') }} as authority
            on authority.la_code = clock.la_code
                and authority.as_at_date = clock.clock_date
    ),

    {{ p.type }}_review_clock as (
    -- reviews are scheduled per plan (rule 15): each plan open at the data date with its
    -- latest review held by then; the next is numbered after it
        select
            plans.la_code, authority.as_at_date, plans.child_key, plans.plan_start_date,
            max(reviews.review_date) as last_done_date,
            coalesce(max(reviews.review_number), 0) + 1 as next_review_number
        from {{ ref('fct_' ~ p.type ~ '_plans') }} as plans
        join {{ ref('dim_authority') }} as authority
            on authority.la_code = plans.la_code
                and authority.as_at_date >= plans.plan_start_date
                and (plans.plan_end_date is null or authority.as_at_date < plans.plan_end_date)
        left join {{ ref('fct_' ~ p.type ~ '_reviews') }} as reviews
            on reviews.la_code = plans.la_code
                and reviews.{{ p.type }}_plan_key = plans.{{ p.type }}_plan_key
                and reviews.review_date <= authority.as_at_date
        group by all
    ),

    {{ p.type }}_reviews as (
    -- due by the measure's schedule (review_due_by_months, as fct_{{ p.type }}_reviews)
        select
            la_code, as_at_date, child_key, '{{ p.type }}_review' as item,
            case when next_review_number = 1
                    then '{{ p.label }}: first {{ p.review }} within '
                        || params.{{ p.type }}_review_first_months
                        || ' months of plan start'
                else '{{ p.label }}: {{ p.review }} every ' || params.{{ p.type }}_review_later_months || ' months'
            end as rule,
            last_done_date,
        {{ review_due_by_months('plan_start_date', 'params.' ~ p.type ~ '_review_first_months',
                                'params.' ~ p.type ~ '_review_later_months',
                                review_number='next_review_number', previous_review_date='last_done_date') }} as due_date
        from {{ p.type }}_review_clock
        cross join params
    ),
{% endfor %}
core_groups as (
    -- the measure's clock (int_core_group_clock) on the data date
    select
        clock.la_code, clock.clock_date as as_at_date, clock.child_key, 'core_group' as item,
        case when clock.latest_event_date is null
                then 'CP plan: first core group within ' || clock.working_days_allowed || ' working days of plan start'
            else 'CP plan: core group every ' || clock.working_days_allowed || ' working days'
        end as rule,
        clock.latest_event_date as last_done_date,
        clock.due_date
    from {{ ref('int_core_group_clock') }} as clock
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = clock.la_code
            and authority.as_at_date = clock.clock_date
),

exceptions as (
    {{ exception_list([
        ('cp_visits', 'working_day_after_due'),
        ('core_groups', 'working_day_after_due'),
        ('cp_reviews', 'day_after_due'),
        ('cin_visits', 'working_day_after_due'),
        ('cin_reviews', 'day_after_due'),
    ]) }}
)

select * from exceptions
