-- One row per supervision session: the worker supervised, the type (PERSONAL, CASE, GROUP),
-- the child for case supervision, and the calendar month the session falls in.
select
    la_code,
    supervision_key,
    supervisee_worker_key,
    supervisor_worker_key,
    supervision_type,
    child_key,
    supervision_date,
    {{ period_start('month', 'supervision_date') }} as supervision_month_start,
    extract_date
from {{ resolve_workers(ref('stg_ext__supervisions'), ['supervisee_worker_key', 'supervisor_worker_key']) }}
