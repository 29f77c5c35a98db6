-- cla_reviews_timely: all LAC reviews held in the period, the union of the first reviews
-- (cla_reviews_first_20wd) and the second and later ones (cla_reviews_subsequent_timely).
select
    la_code, 'cla_reviews_timely' as kpi_id, reference_date, team_id, service_area_id, child_key,
    cla_review_key, period_of_care_key, review_number, review_date, due_date, source_format,
    is_met, reason, numerator, denominator
from {{ ref('kpi_cla_reviews_first_20wd_detail') }}

union all

select
    la_code, 'cla_reviews_timely' as kpi_id, reference_date, team_id, service_area_id, child_key,
    cla_review_key, period_of_care_key, review_number, review_date, due_date, source_format,
    is_met, reason, numerator, denominator
from {{ ref('kpi_cla_reviews_subsequent_timely_detail') }}
