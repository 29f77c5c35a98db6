-- Workers as the case-management system knows them, keyed by pseudonym; names and registration
-- numbers never enter raw (restricted schema). prof_staff_id is a second id of the same worker
-- (some SystemC references hold it): pseudonymised as the same kind, so references resolve by it.
select
    la_code,
    prof_professional_id as worker_key,
    prof_staff_id as staff_id_key,
    prof_professional_job_title as job_title,
    prof_professional_caseload as recorded_caseload,
    prof_professional_department as department,
    prof_full_time_equivalency as fte,
    coalesce(prof_agency_worker_flag, false) as is_agency,
    extract_date
from {{ source('raw', 'ssd_professionals') }}
