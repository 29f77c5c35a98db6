-- icpc_15wd: "ICPCs with icpc_icpc_date in period, excluding transfer-ins
-- (icpc_icpc_transfer_in = Y); met if wd(S47 start of the linked enquiry, icpc_date) <= 15.
-- ICPCs with no linked enquiry are excluded here and reported by the quality checks."
-- Rule 12: the link is icpc_s47_enquiry_id; ICPCs whose enquiry does not resolve are excluded.
-- (kpi_parameters: working_days_allowed)
with allowed as (
    select {{ kpi_parameter('icpc_15wd', 'working_days_allowed') }} as working_days_allowed
)

select
    conferences.la_code,
    'icpc_15wd' as kpi_id,
    conferences.icpc_date as reference_date,
    conferences.team_id,
    conferences.service_area_id,
    conferences.icpc_key,
    conferences.s47_enquiry_key,
    conferences.child_key,
    conferences.s47_start_date,
    conferences.icpc_date,
    conferences.working_days_from_s47_start as working_days,
    allowed.working_days_allowed,
    conferences.source_format,
    coalesce(conferences.working_days_from_s47_start <= allowed.working_days_allowed, false) as is_met,
    case when conferences.working_days_from_s47_start is null then 'a date outside the working-day calendar'
        else 'held ' || conferences.working_days_from_s47_start || ' working days after the S47 start'
            || case when conferences.working_days_from_s47_start > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(conferences.working_days_from_s47_start <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_icpcs') }} as conferences
cross join allowed
where not conferences.is_transfer_in
    and conferences.has_resolved_enquiry
