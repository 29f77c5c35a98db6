-- One row per CIN review whose plan resolves (rule 15), numbered by date within the plan, with
-- its due date computed from the schedule: the first is due plan start + first_months, each
-- later one the actual previous review + later_months.
with schedule as (
    select
        {{ kpi_parameter('cin_reviews_timely', 'first_months') }}::int as first_months,
        {{ kpi_parameter('cin_reviews_timely', 'later_months') }}::int as later_months
),

plan_reviews as (
    select
        reviews.la_code,
        reviews.cin_review_key,
        reviews.child_key,
        reviews.cin_plan_key,
        plans.plan_start_date,
        plans.plan_end_date,
        reviews.review_date,
        reviews.record_distributed_date
    from {{ ref('stg_ext__cin_reviews') }} as reviews
    join {{ ref('fct_cin_plans') }} as plans
        on plans.la_code = reviews.la_code
       and plans.cin_plan_key = reviews.cin_plan_key
    where reviews.review_date is not null
),

scheduled as (
    select
        numbered.*,
        {{ review_due_by_months('numbered.plan_start_date', 'schedule.first_months', 'schedule.later_months') }} as due_date
    from {{ number_reviews('plan_reviews', 'cin_plan_key', 'cin_review_key') }} as numbered
    cross join schedule
)

select
    *,
    review_date <= due_date as is_on_time
from scheduled
