-- Held LAC reviews are numbered 1..n within their period of care (cancelled ones not numbered).
select la_code, period_of_care_key, count(*) as reviews, max(review_number) as highest_number
from {{ ref('fct_cla_reviews') }}
group by all
having max(review_number) <> count(*) or min(review_number) <> 1
