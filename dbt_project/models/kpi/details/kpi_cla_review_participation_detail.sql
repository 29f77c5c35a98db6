-- cla_review_participation: LAC reviews held in the period for children aged 4 or over on the
-- review date (rule 21): met if clar_cla_review_participation is PN1-PN6; PN0, PN7 or
-- nothing recorded = not met. Under-4s (and children with no date of birth) are left out.
with params as (
    select {{ kpi_parameter('cla_review_participation', 'minimum_age') }} as minimum_age
)

select
    reviews.la_code,
    'cla_review_participation' as kpi_id,
    reviews.review_date as reference_date,
    reviews.team_id,
    reviews.service_area_id,
    reviews.child_key,
    reviews.cla_review_key,
    reviews.period_of_care_key,
    reviews.review_date,
    reviews.child_age_at_review,
    reviews.participation_code,
    reviews.source_format,
    coalesce(reviews.participation_code in ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6'), false) as is_met,
    'aged ' || reviews.child_age_at_review || ', participation '
    || coalesce(reviews.participation_code, 'not recorded') as reason,
    coalesce(reviews.participation_code in ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6'), false)::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }} as reviews
cross join params
where reviews.child_age_at_review >= params.minimum_age
