-- core_group_records_5wd: core groups held in period; met if wd(meeting, distributed) <= 5
-- (kpi_parameters: working_days_allowed). A record never distributed is not met.
-- Team: the child's allocated team on the meeting date.
with allowed as (
    select {{ kpi_parameter('core_group_records_5wd', 'working_days_allowed') }}::int as working_days_allowed
),

core_groups as (
    select *, null::{{ text_type() }} as event_team_id
    from {{ ref('fct_core_groups') }}
),

attributed as (
    select * from {{ attribute_to_team('core_groups', 'event_team_id', 'meeting_date') }}
)

select
    attributed.la_code,
    'core_group_records_5wd' as kpi_id,
    attributed.meeting_date as reference_date,
    attributed.team_id,
    attributed.service_area_id,
    attributed.child_key,
    attributed.core_group_key,
    attributed.cp_plan_key,
    attributed.meeting_date,
    attributed.record_distributed_date,
    attributed.working_days_to_distribution as working_days,
    allowed.working_days_allowed,
    coalesce(attributed.working_days_to_distribution <= allowed.working_days_allowed, false) as is_met,
    case when attributed.record_distributed_date is null then 'record not distributed'
        else 'distributed in ' || attributed.working_days_to_distribution || ' working days'
            || case when attributed.working_days_to_distribution > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed || ' allowed'
                else ''
            end
    end as reason,
    coalesce(attributed.working_days_to_distribution <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from attributed
cross join allowed
