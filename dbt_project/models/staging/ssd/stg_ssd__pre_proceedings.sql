-- Pre-proceedings (Public Law Outline) per child: decision, meetings, and the date it was
-- concluded by step-down or issue of proceedings. Court references stay raw.
select
    la_code,
    prep_table_id as pre_proceedings_key,
    prep_person_id as child_key,
    prep_plo_family_id as plo_family_key,
    prep_pre_pro_decision_date::date as decision_date,
    prep_initial_pre_pro_meeting_date::date as initial_meeting_date,
    prep_pre_pro_outcome as outcome,
    prep_agree_stepdown_issue_date::date as concluded_date,
    prep_legal_gateway_outcome as legal_gateway_outcome,
    prep_pre_pro_letter_date::date as pre_proceedings_letter_date,
    prep_pre_pro_meetings_num as meetings_count,
    extract_date
from {{ source('raw', 'ssd_pre_proceedings') }}
