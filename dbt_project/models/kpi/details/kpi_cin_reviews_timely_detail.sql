-- cin_reviews_timely: ext_cin_reviews held in period; due = plan start + 3 months, then the
-- previous review + 3 months (kpi_parameters first_months, later_months; schedule in
-- fct_cin_reviews, rule 15); met if review date <= due. Team: the child's allocated team on the
-- review date (a CIN review records no team).
with reviews as (
    select *, null::varchar as event_team_id
    from {{ ref('fct_cin_reviews') }}
),

attributed as (
    select * from {{ attribute_to_team('reviews', 'event_team_id', 'review_date') }}
)

select
    la_code,
    'cin_reviews_timely' as kpi_id,
    review_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    cin_review_key,
    cin_plan_key,
    plan_start_date,
    review_number,
    previous_review_date,
    review_date,
    due_date,
    review_date - due_date as days_late,
    is_on_time as is_met,
    case when review_number = 1 then 'first review' else 'review ' || review_number end
        || ' held ' || strftime(review_date, '%Y-%m-%d') || ', due ' || strftime(due_date, '%Y-%m-%d')
        || case when is_on_time then '' else ' (' || (review_date - due_date) || ' days late)' end as reason,
    is_on_time::int as numerator,
    1 as denominator
from attributed
