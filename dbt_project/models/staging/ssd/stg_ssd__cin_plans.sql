-- Child in need plans.
select
    la_code,
    {{ pseudonym('cin_plan', 'la_code', 'cinp_cin_plan_id') }} as cin_plan_key,
    {{ pseudonym('referral', 'la_code', 'cinp_referral_id') }} as referral_key,
    {{ pseudonym('person', 'la_code', 'cinp_person_id') }} as child_key,
    cinp_cin_plan_start_date::date as plan_start_date,
    cinp_cin_plan_end_date::date as plan_end_date,
    cinp_cin_plan_team as team_id,
    {{ pseudonym('professional', 'la_code', 'cinp_cin_plan_worker_id') }} as worker_key,
    extract_date
from {{ source('raw', 'ssd_cin_plans') }}
