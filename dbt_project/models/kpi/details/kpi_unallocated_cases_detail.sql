-- unallocated_cases: children open (CIN episode, CP plan or looked after) at period end with no
-- open ssd_involvements row (rule 17). With no allocation there is no allocated team: the child
-- is shown against the team recorded on the open CIN plan, else on the open referral, else the
-- unknown team '-1'.
with unallocated as (
    select *
    from {{ ref('fct_child_status_month_end') }}
    where is_open and not is_allocated
)

select
    unallocated.la_code,
    'unallocated_cases' as kpi_id,
    unallocated.snapshot_date,
    coalesce(plan_team.team_id, referral_team.team_id, '-1') as team_id,
    coalesce(plan_team.service_area_id, referral_team.service_area_id, '-1') as service_area_id,
    unallocated.child_key,
    unallocated.referral_key,
    unallocated.cp_plan_key,
    unallocated.cla_episode_key,
    unallocated.is_cin_open,
    unallocated.is_cp_open,
    unallocated.is_cla_open,
    null::boolean as is_met,
    'open ('
        || concat_ws(', ',
            case when unallocated.is_cin_open then 'CIN episode' end,
            case when unallocated.is_cp_open then 'CP plan' end,
            case when unallocated.is_cla_open then 'looked after' end)
        || ') with no open allocation' as reason,
    1 as numerator,
    null::integer as denominator
from unallocated
left join {{ ref('fct_cin_plans') }} as cin_plans
    on cin_plans.la_code = unallocated.la_code
   and cin_plans.cin_plan_key = unallocated.cin_plan_key
left join {{ ref('dim_team') }} as plan_team
    on plan_team.la_code = cin_plans.la_code
   and plan_team.team_id = cin_plans.team_id
left join {{ ref('int_referrals__sources') }} as referrals
    on referrals.la_code = unallocated.la_code
   and referrals.referral_key = unallocated.referral_key
left join {{ ref('dim_team') }} as referral_team
    on referral_team.la_code = referrals.la_code
   and referral_team.team_id = referrals.team_id
