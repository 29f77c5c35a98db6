-- cla_review_recs_response_5wd: LAC reviews held in the period; met if the team manager
-- responded to the recommendations with wd(recommendations sent, response) <= 5. No admin row,
-- no sent date or no response date = not met (rule 22).
with allowed as (
    select {{ kpi_parameter('cla_review_recs_response_5wd', 'working_days_allowed') }} as working_days_allowed
)

select
    reviews.la_code,
    'cla_review_recs_response_5wd' as kpi_id,
    reviews.review_date as reference_date,
    reviews.team_id,
    reviews.service_area_id,
    reviews.child_key,
    reviews.cla_review_key,
    reviews.period_of_care_key,
    reviews.review_date,
    reviews.recommendations_sent_date,
    reviews.recommendations_response_date,
    reviews.working_days_to_response as working_days,
    allowed.working_days_allowed,
    reviews.source_format,
    coalesce(reviews.working_days_to_response <= allowed.working_days_allowed, false) as is_met,
    case
        when reviews.recommendations_sent_date is null then 'recommendations not sent'
        when reviews.recommendations_response_date is null then 'no team manager response'
        else 'team manager responded ' || reviews.working_days_to_response || ' working days after the recommendations'
            || case when reviews.working_days_to_response > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(reviews.working_days_to_response <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }} as reviews
cross join allowed
