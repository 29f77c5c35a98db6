-- Child in need visits. A null flag means "not seen" (rule 7).
select
    la_code,
    cinv_cin_visit_id as visit_key,
    cinv_person_id as child_key,
    cinv_cin_visit_date::date as visit_date,
    coalesce(cinv_cin_visit_seen, false) as is_child_seen,
    coalesce(cinv_cin_visit_seen_alone, false) as is_child_seen_alone,
    coalesce(cinv_cin_visit_bedroom, false) as is_bedroom_seen,
    extract_date
from {{ source('raw', 'ssd_cin_visits') }}
