-- cp_second_plan_ever: plans starting in period where the child had any earlier-starting plan,
-- however long ago (rule 13; national definition) / plans starting in period. is_met = counted
-- in the numerator (a second or subsequent plan). Team: allocated team on the plan start date.
with plans as (
    select *, null::{{ text_type() }} as event_team_id
    from {{ ref('fct_cp_plans') }}
),

attributed as (
    select * from {{ attribute_to_team('plans', 'event_team_id', 'plan_start_date') }}
)

select
    la_code,
    'cp_second_plan_ever' as kpi_id,
    plan_start_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    cp_plan_key,
    plan_start_date,
    plan_number,
    earlier_plan_count,
    source_format,
    earlier_plan_count > 0 as is_met,
    case when earlier_plan_count = 0 then 'first CP plan'
        else 'plan number ' || plan_number || ': ' || earlier_plan_count || ' earlier plan(s)'
    end as reason,
    (earlier_plan_count > 0)::int as numerator,
    1 as denominator
from attributed
