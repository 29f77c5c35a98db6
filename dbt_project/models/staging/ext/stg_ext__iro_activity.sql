-- IRO activity: OVERSIGHT records and DISPUTE (escalation) records with their resolution.
select
    la_code,
    iroa_id as iro_activity_key,
    iroa_person_id as child_key,
    iroa_activity_type as activity_type,
    iroa_date as activity_date,
    iroa_resolved_date as resolved_date,
    iroa_worker_id as iro_worker_key,
    extract_date
from {{ source('raw', 'ext_iro_activity') }}
