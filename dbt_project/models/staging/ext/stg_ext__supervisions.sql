-- Supervision sessions: personal (of the worker), case (of one child's case) or group.
select
    la_code,
    {{ pseudonym('supervision', 'la_code', 'supv_id') }} as supervision_key,
    {{ pseudonym('professional', 'la_code', 'supv_supervisee_id') }} as supervisee_worker_key,
    {{ pseudonym('professional', 'la_code', 'supv_supervisor_id') }} as supervisor_worker_key,
    supv_date as supervision_date,
    supv_type as supervision_type,
    {{ pseudonym('person', 'la_code', 'supv_person_id') }} as child_key,
    extract_date
from {{ source('raw', 'ext_supervisions') }}
