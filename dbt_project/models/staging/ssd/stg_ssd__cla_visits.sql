-- Statutory visits to looked-after children. A null seen flag means not seen (rule 7).
select
    la_code,
    clav_cla_visit_id as cla_visit_key,
    clav_cla_id as period_of_care_key,
    clav_person_id as child_key,
    clav_cla_visit_date::date as visit_date,
    coalesce(clav_cla_visit_seen, false) as is_child_seen,
    coalesce(clav_cla_visit_seen_alone, false) as is_child_seen_alone,
    extract_date
from {{ source('raw', 'ssd_cla_visits') }}
