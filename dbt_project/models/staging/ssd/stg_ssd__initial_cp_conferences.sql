-- Initial child protection conferences. Times are dropped (rule 3); null flags mean "not Y"
-- (rule 7). The link to the S47 enquiry is kept as a pseudonymous key of the same kind as
-- stg_ssd__s47_enquiries.s47_enquiry_key, so it resolves by equality.
select
    la_code,
    icpc_icpc_id as icpc_key,
    icpc_icpc_meeting_id as icpc_meeting_key,
    icpc_s47_enquiry_id as s47_enquiry_key,
    icpc_person_id as child_key,
    icpc_cp_plan_id as cp_plan_key,
    icpc_referral_id as referral_key,
    coalesce(icpc_icpc_transfer_in, false) as is_transfer_in,
    icpc_icpc_target_date::date as icpc_target_date,
    icpc_icpc_date::date as icpc_date,
    coalesce(icpc_icpc_outcome_cp_flag, false) as is_outcome_cp_plan,
    icpc_icpc_team as team_id,
    icpc_icpc_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_initial_cp_conference') }}
