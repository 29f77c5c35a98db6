-- Child protection review conferences. The recorded due date is kept for reference only:
-- review timeliness is computed from the schedule (rule 15). Outcome, quorum and participation
-- are form answers in the SSD (free text in Mosaic): the flag is read where the answer is a yes
-- or no, else it is not Y (rule 7).
select
    la_code,
    cppr_cp_review_id as cp_review_key,
    cppr_person_id as child_key,
    cppr_cp_plan_id as cp_plan_key,
    cppr_cp_review_due::date as recorded_due_date,
    cppr_cp_review_date::date as review_date,
    cppr_cp_review_meeting_id as meeting_key,
    coalesce({{ text_flag('cppr_cp_review_outcome_continue_cp') }}, false) as is_outcome_continue_plan,
    coalesce({{ text_flag('cppr_cp_review_quorate') }}, false) as is_quorate,
    coalesce({{ text_flag('cppr_cp_review_participation') }}, false) as is_child_participating,
    extract_date
from {{ source('raw', 'ssd_cp_reviews') }}
