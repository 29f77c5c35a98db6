-- One row per section 47 enquiry: start, end (NULL while open), working days wd(start, end)
-- (an end before its start counts as 0, rule 6; a date outside the calendar gives NULL) and
-- whether it ended in no further action (null = not NFA, rule 7). Team: the completing team
-- recorded on the enquiry, else the child's allocated team on the end date (the start date
-- while open), else '-1'.
with enquiries as (
    select *, coalesce(s47_end_date, s47_start_date) as attribution_date
    from {{ resolve_workers(ref('int_s47_enquiries__sources')) }}
),

attributed as (
    select * from {{ attribute_to_team('enquiries', 'team_id', 'attribution_date') }}
)

select
    attributed.la_code,
    attributed.s47_enquiry_key,
    attributed.child_key,
    attributed.referral_key,
    attributed.team_id,
    attributed.service_area_id,
    attributed.recorded_team_id,
    attributed.worker_key,
    attributed.s47_start_date,
    attributed.s47_end_date,
    {{ working_days_between('attributed.s47_start_date', 'attributed.s47_end_date') }} as working_days_to_end,
    attributed.is_nfa,
    attributed.source_format
from attributed
