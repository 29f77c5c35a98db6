-- Every interval a child is open to children's social care, one row per record: CIN episode
-- (referral), CIN plan, CP plan, looked-after episode, and the legal status held. Open at any
-- date d when start_date <= d and (end_date is null or end_date > d) (rule 1): the status of
-- every child on any day is one filter on this table, and fct_child_status_month_end is that
-- filter at every month end. The allocated worker and team at d come from fct_allocations by
-- the same rule.
select la_code, child_key, 'cin_episode' as status, referral_key as record_key,
       null::varchar as legal_status_code, referral_date as start_date, close_date as end_date
from {{ ref('fct_referrals') }}

union all

select la_code, child_key, 'cin_plan', cin_plan_key, null, plan_start_date, plan_end_date
from {{ ref('fct_cin_plans') }}

union all

select la_code, child_key, 'cp_plan', cp_plan_key, null, plan_start_date, plan_end_date
from {{ ref('fct_cp_plans') }}

union all

select la_code, child_key, 'cla_episode', cla_episode_key, null, episode_start_date, episode_ceased_date
from {{ ref('fct_cla_episodes') }}

union all

select la_code, child_key, 'legal_status', legal_status_key, legal_status_code, start_date, end_date
from {{ ref('fct_legal_statuses') }}
