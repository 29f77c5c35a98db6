-- Child in need plans.
select
    la_code,
    cinp_cin_plan_id as cin_plan_key,
    cinp_referral_id as referral_key,
    cinp_person_id as child_key,
    cinp_cin_plan_start_date::date as plan_start_date,
    cinp_cin_plan_end_date::date as plan_end_date,
    cinp_cin_plan_team as team_id,
    cinp_cin_plan_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_cin_plans') }}
