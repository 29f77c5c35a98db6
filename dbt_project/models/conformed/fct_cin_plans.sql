-- One row per child in need plan, with the team recorded on it (as recorded: the quality gate
-- reports ids missing from dim_team) and that team's service area.
with plans as (
    select * from {{ resolve_workers(ref('int_cin_plans__sources')) }}
)

select
    plans.la_code,
    plans.cin_plan_key,
    plans.child_key,
    plans.referral_key,
    plans.plan_start_date,
    plans.plan_end_date,
    -- calendar days; an end before the start counts as 0 (rule 6); null while open
    case when plans.plan_end_date is not null
            then greatest({{ days_between('plans.plan_start_date', 'plans.plan_end_date') }}, 0)
    end as plan_duration_days,
    plans.worker_key,
    plans.team_id,
    team.service_area_id,
    plans.source_format
from plans
left join {{ ref('dim_team') }} as team
    on team.la_code = plans.la_code
        and team.team_id = plans.team_id
