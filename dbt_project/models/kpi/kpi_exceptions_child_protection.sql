-- Exception list for child protection and children in need, as at each authority's data date
-- (dim_authority.as_at_date): every child whose CP visit, core group, CP review, CIN visit or
-- CIN review is overdue, or falls due within the next N working days (kpi_parameters:
-- exceptions, due_soon_working_days), with the allocated worker and team on that date.
-- Rules and timescales are those of the measures (cp_visits_10wd, core_groups_timely,
-- cp_reviews_timely, cin_visits_20wd, cin_reviews_timely); everything is judged at the data date.
-- Working-day timescales fall due on the Nth working day after the clock start; month
-- timescales on the clock start plus N calendar months (month-end clipped).
-- CP and CIN plans are scheduled alike (visits, reviews): one block per plan type.
{%- set plan_types = [
    {'type': 'cp', 'label': 'CP plan', 'review': 'review conference'},
    {'type': 'cin', 'label': 'CIN plan', 'review': 'review'},
] %}
with params as (
    select
        {{ kpi_parameter('cp_visits_10wd', 'working_days_allowed') }}::int as cp_visit_working_days,
        {{ kpi_parameter('core_groups_timely', 'first_working_days_allowed') }}::int as core_group_first_working_days,
        {{ kpi_parameter('core_groups_timely', 'working_days_allowed') }}::int as core_group_working_days,
        {{ kpi_parameter('cp_reviews_timely', 'first_months') }}::int as cp_review_first_months,
        {{ kpi_parameter('cp_reviews_timely', 'later_months') }}::int as cp_review_later_months,
        {{ kpi_parameter('cin_visits_20wd', 'working_days_allowed') }}::int as cin_visit_working_days,
        {{ kpi_parameter('cin_reviews_timely', 'first_months') }}::int as cin_review_first_months,
        {{ kpi_parameter('cin_reviews_timely', 'later_months') }}::int as cin_review_later_months
),
{% for p in plan_types %}
open_{{ p.type }}_plans as (
    -- plans open at the data date (rule 1)
    select plans.la_code, authority.as_at_date, plans.child_key, plans.{{ p.type }}_plan_key as plan_key,
           plans.plan_start_date
    from {{ ref('fct_' ~ p.type ~ '_plans') }} as plans
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = plans.la_code
       and plans.plan_start_date <= authority.as_at_date
       and (plans.plan_end_date is null or plans.plan_end_date > authority.as_at_date)
),
{% endfor %}
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
{% for p in plan_types %}
{{ p.type }}_visit_clock as (
    select
        children.la_code, children.as_at_date, children.child_key, children.plan_start_date,
        max(visits.visit_date) as last_done_date
    from {{ p.type }}_children as children
    left join {{ ref('fct_visits') }} as visits
        on visits.la_code = children.la_code
       and visits.child_key = children.child_key
       and visits.visit_type = '{{ p.type }}'
       and visits.is_child_seen
       and visits.visit_date between children.plan_start_date and children.as_at_date
    group by all
),

{{ p.type }}_review_clock as (
    -- reviews are scheduled per plan (rule 15)
    select
        plans.la_code, plans.as_at_date, plans.child_key, plans.plan_start_date,
        max(reviews.review_date) as last_done_date
    from open_{{ p.type }}_plans as plans
    left join {{ ref('fct_' ~ p.type ~ '_reviews') }} as reviews
        on reviews.la_code = plans.la_code
       and reviews.{{ p.type }}_plan_key = plans.plan_key
       and reviews.review_date <= plans.as_at_date
    group by all
),

{{ p.type }}_visits as (
    select
        la_code, as_at_date, child_key, '{{ p.type }}_visit' as item,
        '{{ p.label }}: seen every ' || params.{{ p.type }}_visit_working_days || ' working days' as rule,
        last_done_date,
        {{ working_days_after('coalesce(last_done_date, plan_start_date)', 'params.' ~ p.type ~ '_visit_working_days') }} as due_date
    from {{ p.type }}_visit_clock
    cross join params
),

{{ p.type }}_reviews as (
    select
        la_code, as_at_date, child_key, '{{ p.type }}_review' as item,
        case when last_done_date is null
             then '{{ p.label }}: first {{ p.review }} within ' || params.{{ p.type }}_review_first_months || ' months of plan start'
             else '{{ p.label }}: {{ p.review }} every ' || params.{{ p.type }}_review_later_months || ' months' end as rule,
        last_done_date,
        case when last_done_date is null
             then (plan_start_date + to_months(params.{{ p.type }}_review_first_months))::date
             else (last_done_date + to_months(params.{{ p.type }}_review_later_months))::date end as due_date
    from {{ p.type }}_review_clock
    cross join params
),
{% endfor %}
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

core_groups as (
    select
        la_code, as_at_date, child_key, 'core_group' as item,
        case when last_done_date is null
             then 'CP plan: first core group within ' || params.core_group_first_working_days || ' working days of plan start'
             else 'CP plan: core group every ' || params.core_group_working_days || ' working days' end as rule,
        last_done_date,
        case when last_done_date is null
             then {{ working_days_after('plan_start_date', 'params.core_group_first_working_days') }}
             else {{ working_days_after('last_done_date', 'params.core_group_working_days') }} end as due_date
    from core_group_clock
    cross join params
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
