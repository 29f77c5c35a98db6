-- One row per CP review conference whose plan resolves (rule 15), numbered by date within the
-- plan, with its due date computed from the schedule, never the recorded one: the first is due
-- plan start + first_months, each later one the actual previous review + later_months
-- (calendar months, month-end clipped: 30 Nov + 3 months = 29 Feb in a leap year).
with schedule as (
    select
        {{ kpi_parameter('cp_reviews_timely', 'first_months') }}::int as first_months,
        {{ kpi_parameter('cp_reviews_timely', 'later_months') }}::int as later_months
),

reviews as (
    select
        reviews.la_code,
        reviews.cp_review_key,
        reviews.child_key,
        reviews.cp_plan_key,
        plans.plan_start_date,
        plans.plan_end_date,
        reviews.review_date,
        reviews.recorded_due_date,
        reviews.is_outcome_continue_plan,
        reviews.is_quorate,
        reviews.is_child_participating,
        row_number() over plan_reviews as review_number,
        lag(reviews.review_date) over plan_reviews as previous_review_date
    from {{ ref('stg_ssd__cp_reviews') }} as reviews
    join {{ ref('fct_cp_plans') }} as plans
        on plans.la_code = reviews.la_code
       and plans.cp_plan_key = reviews.cp_plan_key
    where reviews.review_date is not null
    window plan_reviews as (
        partition by reviews.la_code, reviews.cp_plan_key
        order by reviews.review_date, reviews.cp_review_key)
),

scheduled as (
    select
        reviews.*,
        case when reviews.review_number = 1
             then (reviews.plan_start_date + to_months(schedule.first_months))::date
             else (reviews.previous_review_date + to_months(schedule.later_months))::date
        end as due_date
    from reviews
    cross join schedule
)

select
    *,
    review_date <= due_date as is_on_time
from scheduled
