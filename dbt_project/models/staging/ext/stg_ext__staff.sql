-- Staff establishment: one row per spell in post (start to last day), with role and contract.
select
    la_code,
    staf_id as staff_key,
    staf_professional_id as worker_key,
    staf_team_id as team_id,
    staf_role as role,
    staf_employment as employment,
    coalesce(staf_operational, false) as is_operational,
    coalesce(staf_case_holding, false) as is_case_holding,
    staf_fte as fte,
    staf_start_date as start_date,
    staf_end_date as end_date,
    staf_leaving_reason as leaving_reason,
    extract_date
from {{ source('raw', 'ext_staff') }}
