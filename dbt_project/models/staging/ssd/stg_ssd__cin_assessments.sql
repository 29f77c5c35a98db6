-- Single assessments. Times are dropped: assessment timeliness is in working days (rule 3).
select
    la_code,
    cina_assessment_id as assessment_key,
    cina_person_id as child_key,
    cina_referral_id as referral_key,
    cina_assessment_start_date::date as assessment_start_date,
    cina_assessment_auth_date::date as assessment_auth_date,
    coalesce(cina_assessment_child_seen, false) as is_child_seen,
    coalesce(cina_assessment_outcome_nfa, false) as is_outcome_nfa,
    cina_assessment_team as team_id,
    cina_assessment_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_cin_assessments') }}
