{#- Reviews numbered by date within what they review (a plan, a period of care; ties by key),
    each with the date of the actual review before it: later reviews fall due a number of
    months after the previous actual review, not after its due date. -#}
{% macro number_reviews(reviews, within, review_key) -%}
(
    select
        *,
        row_number() over reviewed as review_number,
        lag(review_date) over reviewed as previous_review_date
    from {{ reviews }}
    window reviewed as (partition by la_code, {{ within }} order by review_date nulls last, {{ review_key }} nulls last)
)
{%- endmacro %}

{#- The due date of a numbered review on a months schedule: the first first_months after the
    clock start, each later one later_months after the previous actual review (calendar
    months, month-end clipped: 30 Nov + 3 months = 29 Feb in a leap year). The measures date
    held reviews (fct_cp_reviews, fct_cin_reviews); the exception list dates the next one,
    numbered after the latest held, with the same rule. -#}
{% macro review_due_by_months(clock_start, first_months, later_months,
                              review_number='review_number', previous_review_date='previous_review_date') -%}
    case when {{ review_number }} = 1
         then {{ add_months(clock_start, first_months) }}
         else {{ add_months(previous_review_date, later_months) }}
    end
{%- endmacro %}

{#- The due date of LAC review number `review_number` of a period of care (rules 15, 20): the
    first the working day first_working_days after care started (cla_reviews_first_20wd), the
    second second_months after the first, each later one later_months after the previous
    actual review (cla_reviews_subsequent_timely). Shared by fct_cla_reviews (held reviews)
    and the looked-after exception list (the next review). -#}
{% macro cla_review_due(care_start_date, review_number, previous_review_date) -%}
    case
        when {{ review_number }} = 1
            then {{ working_days_after(care_start_date, kpi_parameter('cla_reviews_first_20wd', 'working_days_allowed')) }}
        when {{ review_number }} = 2
            then {{ add_months(previous_review_date, kpi_parameter('cla_reviews_subsequent_timely', 'second_months')) }}
        else {{ add_months(previous_review_date, kpi_parameter('cla_reviews_subsequent_timely', 'later_months')) }}
    end
{%- endmacro %}

{#- A plan's reviews (fct_cp_reviews, fct_cin_reviews): each review of `reviews` whose plan
    resolves in fct_<plan_type>_plans (rule 15), numbered within the plan and due by the
    measure's months schedule (kpi_parameters first_months, later_months of `kpi_id`), never
    the recorded due date. `columns`: the review's own columns carried through. -#}
{% macro plan_review_schedule(plan_type, reviews, kpi_id, columns) -%}
with schedule as (
    select
        {{ kpi_parameter(kpi_id, 'first_months') }}::int as first_months,
        {{ kpi_parameter(kpi_id, 'later_months') }}::int as later_months
),

plan_reviews as (
    select
        reviews.la_code,
        reviews.{{ plan_type }}_review_key,
        reviews.child_key,
        reviews.{{ plan_type }}_plan_key,
        plans.plan_start_date,
        plans.plan_end_date,
        reviews.review_date,
        {%- for column in columns %}
        reviews.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ reviews }} as reviews
    join {{ ref('fct_' ~ plan_type ~ '_plans') }} as plans
        on plans.la_code = reviews.la_code
       and plans.{{ plan_type }}_plan_key = reviews.{{ plan_type }}_plan_key
    where reviews.review_date is not null
),

scheduled as (
    select
        numbered.*,
        {{ review_due_by_months('numbered.plan_start_date', 'schedule.first_months', 'schedule.later_months') }} as due_date
    from {{ number_reviews('plan_reviews', plan_type ~ '_plan_key', plan_type ~ '_review_key') }} as numbered
    cross join schedule
)

select
    *,
    review_date <= due_date as is_on_time
from scheduled
{%- endmacro %}
