-- Referrals: one row per CIN episode.
select
    la_code,
    cine_referral_id as referral_key,
    cine_person_id as child_key,
    cine_referral_date::date as referral_date,
    cine_close_date::date as close_date,
    cine_referral_nfa as is_referral_nfa,
    cine_cin_primary_need_code as primary_need_code,
    cine_referral_source_code as referral_source_code,
    cine_referral_team as team_id,
    cine_referral_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_cin_episodes') }}
