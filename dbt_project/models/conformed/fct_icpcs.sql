-- One row per initial child protection conference, with the S47 enquiry it is linked to by
-- icpc_s47_enquiry_id (rule 12) when that resolves, the enquiry's start date and the working
-- days wd(S47 start, ICPC date) (an end before its start counts as 0, rule 6; a date outside
-- the calendar gives NULL). Team: the conference team recorded on the ICPC, else the child's
-- allocated team on the ICPC date, else '-1'.
with conferences as (
    select
        conferences.*,
        enquiries.s47_enquiry_key is not null as has_resolved_enquiry,
        enquiries.s47_start_date
    from {{ resolve_workers(ref('int_icpcs__sources')) }} as conferences
    left join {{ ref('int_s47_enquiries__sources') }} as enquiries
        on enquiries.la_code = conferences.la_code
            and enquiries.s47_enquiry_key = conferences.s47_enquiry_key
),

attributed as (
    select * from {{ attribute_to_team('conferences', 'team_id', 'icpc_date') }}
)

select
    attributed.la_code,
    attributed.icpc_key,
    attributed.child_key,
    attributed.s47_enquiry_key,
    attributed.has_resolved_enquiry,
    attributed.cp_plan_key,
    attributed.referral_key,
    attributed.team_id,
    attributed.service_area_id,
    attributed.recorded_team_id,
    attributed.worker_key,
    attributed.is_transfer_in,
    attributed.s47_start_date,
    attributed.icpc_target_date,
    attributed.icpc_date,
    {{ working_days_between('attributed.s47_start_date', 'attributed.icpc_date') }} as working_days_from_s47_start,
    attributed.is_outcome_cp_plan,
    attributed.source_format
from attributed
