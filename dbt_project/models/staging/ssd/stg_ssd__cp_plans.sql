-- Child protection plans. Dates only: plan timescales are in days and working days (rule 3).
select
    la_code,
    cppl_cp_plan_id as cp_plan_key,
    cppl_person_id as child_key,
    cppl_referral_id as referral_key,
    cppl_icpc_id as icpc_key,
    cppl_cp_plan_start_date::date as plan_start_date,
    cppl_cp_plan_end_date::date as plan_end_date,
    cppl_cp_plan_initial_category as initial_category,
    cppl_cp_plan_latest_category as latest_category,
    coalesce(cppl_cp_plan_ola, false) as is_other_la_plan,
    extract_date
from {{ source('raw', 'ssd_cp_plans') }}
