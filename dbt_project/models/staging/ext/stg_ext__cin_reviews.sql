-- Child in need plan reviews (local extract).
select
    la_code,
    cinr_id as cin_review_key,
    cinr_person_id as child_key,
    cinr_cin_plan_id as cin_plan_key,
    cinr_review_date::date as review_date,
    cinr_record_distributed_date::date as record_distributed_date,
    extract_date
from {{ source('raw', 'ext_cin_reviews') }}
