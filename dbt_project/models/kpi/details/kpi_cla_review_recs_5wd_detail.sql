-- cla_review_recs_5wd: LAC reviews held in the period; met if
-- wd(review, recommendations sent) <= 5. No admin row or no date = not met (rule 22).
with allowed as (
    select {{ kpi_parameter('cla_review_recs_5wd', 'working_days_allowed') }} as working_days_allowed
)

select
    reviews.la_code,
    'cla_review_recs_5wd' as kpi_id,
    reviews.review_date as reference_date,
    reviews.team_id,
    reviews.service_area_id,
    reviews.child_key,
    reviews.cla_review_key,
    reviews.period_of_care_key,
    reviews.review_date,
    reviews.recommendations_sent_date,
    reviews.working_days_to_recommendations as working_days,
    allowed.working_days_allowed,
    coalesce(reviews.working_days_to_recommendations <= allowed.working_days_allowed, false) as is_met,
    case
        when reviews.recommendations_sent_date is null then 'recommendations not sent'
        else 'recommendations sent ' || reviews.working_days_to_recommendations || ' working days after the review'
            || case when reviews.working_days_to_recommendations > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(reviews.working_days_to_recommendations <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }} as reviews
cross join allowed
