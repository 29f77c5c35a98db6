-- Child protection visits. A null flag means "not seen" (rule 7).
select
    la_code,
    cppv_cp_visit_id as visit_key,
    cppv_person_id as child_key,
    cppv_cp_plan_id as cp_plan_key,
    cppv_cp_visit_date::date as visit_date,
    coalesce(cppv_cp_visit_seen, false) as is_child_seen,
    coalesce(cppv_cp_visit_seen_alone, false) as is_child_seen_alone,
    coalesce(cppv_cp_visit_bedroom, false) as is_bedroom_seen,
    extract_date
from {{ source('raw', 'ssd_cp_visits') }}
