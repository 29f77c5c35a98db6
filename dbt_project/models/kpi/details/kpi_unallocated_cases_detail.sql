-- unallocated_cases: children open (CIN episode, CP plan or looked after) at period end with no
-- open ssd_involvements row (rule 17). With no allocation there is no allocated team: the child
-- is shown against the team recorded on the open CIN plan, else on the open referral (the
-- latest-starting open one of each, rule 35), else the unknown team '-1'.
with unallocated as (
    select *
    from {{ ref('fct_child_status_month_end') }}
    where is_open and not is_allocated
)

select
    unallocated.la_code,
    'unallocated_cases' as kpi_id,
    unallocated.snapshot_date,
    {{ snapshot_team('unallocated', ['cin_plan', 'referral']) }},
    unallocated.child_key,
    unallocated.referral_key,
    unallocated.cp_plan_key,
    unallocated.cla_episode_key,
    unallocated.is_cin_open,
    unallocated.is_cp_open,
    unallocated.is_cla_open,
    null::boolean as is_met,
    'open ('
    || concat_ws(
        ', ',
        case when unallocated.is_cin_open then 'CIN episode' end,
        case when unallocated.is_cp_open then 'CP plan' end,
        case when unallocated.is_cla_open then 'looked after' end
    )
    || ') with no open allocation' as reason,
    1 as numerator,
    null::integer as denominator
from unallocated
