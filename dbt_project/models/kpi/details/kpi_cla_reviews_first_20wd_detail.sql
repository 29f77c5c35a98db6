-- cla_reviews_first_20wd: first LAC reviews (of a period of care; cancelled reviews are not
-- numbered) held in the period: met if wd(entered care, review) <= 20, entered care = the
-- start of the period of care (clae_cla_id).
with allowed as (
    select {{ kpi_parameter('cla_reviews_first_20wd', 'working_days_allowed') }} as working_days_allowed
)

select
    reviews.la_code,
    'cla_reviews_first_20wd' as kpi_id,
    reviews.review_date as reference_date,
    reviews.team_id,
    reviews.service_area_id,
    reviews.child_key,
    reviews.cla_review_key,
    reviews.period_of_care_key,
    reviews.review_number,
    reviews.care_start_date,
    reviews.review_date,
    reviews.due_date,
    reviews.working_days_from_care_start as working_days,
    allowed.working_days_allowed,
    reviews.source_format,
    reviews.working_days_from_care_start <= allowed.working_days_allowed as is_met,
    'first review ' || reviews.working_days_from_care_start || ' working days after entering care'
    || case when reviews.working_days_from_care_start > allowed.working_days_allowed
            then ', over the ' || allowed.working_days_allowed::int || ' allowed'
        else ''
    end as reason,
    (reviews.working_days_from_care_start <= allowed.working_days_allowed)::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }} as reviews
cross join allowed
where reviews.review_number = 1
