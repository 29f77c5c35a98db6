-- s47_completed_15wd: "S47 with s47e_s47_end_date in period; met if wd(start, end) <= 15
-- (parameter)." (kpi_parameters: working_days_allowed)
with allowed as (
    select {{ kpi_parameter('s47_completed_15wd', 'working_days_allowed') }} as working_days_allowed
)

select
    enquiries.la_code,
    's47_completed_15wd' as kpi_id,
    enquiries.s47_end_date as reference_date,
    enquiries.team_id,
    enquiries.service_area_id,
    enquiries.s47_enquiry_key,
    enquiries.child_key,
    enquiries.s47_start_date,
    enquiries.s47_end_date,
    enquiries.working_days_to_end as working_days,
    allowed.working_days_allowed,
    enquiries.source_format,
    coalesce(enquiries.working_days_to_end <= allowed.working_days_allowed, false) as is_met,
    case when enquiries.working_days_to_end is null then 'a date outside the working-day calendar'
        else 'completed in ' || enquiries.working_days_to_end || ' working days'
            || case when enquiries.working_days_to_end > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(enquiries.working_days_to_end <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_s47_enquiries') }} as enquiries
cross join allowed
where enquiries.s47_end_date is not null
