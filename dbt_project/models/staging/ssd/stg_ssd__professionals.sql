-- Workers as the case-management system knows them; names and registration numbers stay raw.
select
    la_code,
    {{ pseudonym('professional', 'la_code', 'prof_professional_id') }} as worker_key,
    prof_professional_job_title as job_title,
    prof_professional_caseload as recorded_caseload,
    prof_professional_department as department,
    prof_full_time_equivalency as fte,
    coalesce(prof_agency_worker_flag, false) as is_agency,
    extract_date
from {{ source('raw', 'ssd_professionals') }}
