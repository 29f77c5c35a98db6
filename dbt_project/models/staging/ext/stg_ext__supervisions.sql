-- Supervision sessions: personal (of the worker), case (of one child's case) or group.
select
    la_code,
    supv_id as supervision_key,
    supv_supervisee_id as supervisee_worker_key,
    supv_supervisor_id as supervisor_worker_key,
    supv_date as supervision_date,
    supv_type as supervision_type,
    supv_person_id as child_key,
    extract_date
from {{ source('raw', 'ext_supervisions') }}
