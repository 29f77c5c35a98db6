-- Section 47 enquiries. Times are dropped: timeliness is in working days (rule 3); a null NFA
-- flag means "not NFA" (rule 7). The outcome text stays in raw.
select
    la_code,
    s47e_s47_enquiry_id as s47_enquiry_key,
    s47e_referral_id as referral_key,
    s47e_person_id as child_key,
    s47e_s47_start_date::date as s47_start_date,
    s47e_s47_end_date::date as s47_end_date,
    coalesce(s47e_s47_nfa, false) as is_nfa,
    s47e_s47_completed_by_team as team_id,
    s47e_s47_completed_by_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_s47_enquiry') }}
