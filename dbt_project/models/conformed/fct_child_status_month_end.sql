-- A child's status at every published month end: the records of fct_child_status_intervals
-- open on that day (start <= d and (end null or end > d), rule 1): CIN episode, CP plan, CIN
-- plan, looked-after episode and legal status; open by rule 17 (CIN episode, CP plan or looked
-- after); and the allocated worker and team (int_child_allocation_at_month_end), with the
-- teams recorded on the latest-starting open referral and CIN plan (rule 35 fallbacks). One row per
-- authority, month end and child that is open or allocated on that date.
{#- Records compared as (start date, key, ...) structs: min/max pick the earliest/latest. -#}
{%- set record = struct_of({'start_date': 'start_date', 'record_key': 'record_key'}) %}
{%- set record_with_team = struct_of({
    'start_date': 'start_date', 'record_key': 'record_key', 'team_id': 'recorded_team_id',
    'service_area_id': 'recorded_service_area_id'
}) %}
{%- set legal_status = struct_of({'start_date': 'start_date', 'record_key': 'record_key', 'code': 'legal_status_code'}) %}
with open_at_month_end as (
    select * from {{ open_at_month_ends(ref('fct_child_status_intervals')) }} as intervals
),

statuses as (
    -- the earliest-starting open record of each kind (rule 14: a child with several open
    -- plans is judged from the earliest open plan's start)
    select
        la_code,
        snapshot_date,
        child_key,
        min({{ record }}) filter (where status = 'cin_episode') as cin_episode,
        min({{ record }}) filter (where status = 'cp_plan') as cp_plan,
        min({{ record }}) filter (where status = 'cin_plan') as cin_plan,
        min({{ record }}) filter (where status = 'cla_episode') as cla_episode,
        -- rule 35: the team on the latest-starting open record of a kind (ties: higher key)
        max({{ record_with_team }}) filter (where status = 'cin_episode') as latest_referral,
        max({{ record_with_team }}) filter (where status = 'cin_plan') as latest_cin_plan
    from open_at_month_end
    where status <> 'legal_status'
    group by la_code, snapshot_date, child_key
),

legal_statuses as (
    -- a legal status describes a child who is open or allocated; it does not list a child on
    -- its own. Of overlapping statuses the latest-starting is current.
    select
        la_code,
        snapshot_date,
        child_key,
        max({{ legal_status }}) as legal_status
    from open_at_month_end
    where status = 'legal_status'
    group by la_code, snapshot_date, child_key
),

allocations as (
    select * from {{ ref('int_child_allocation_at_month_end') }}
)

select
    coalesce(statuses.la_code, allocations.la_code) as la_code,
    coalesce(statuses.snapshot_date, allocations.snapshot_date) as snapshot_date,
    coalesce(statuses.child_key, allocations.child_key) as child_key,
    statuses.cin_episode is not null as is_cin_open,
    statuses.cp_plan is not null as is_cp_open,
    statuses.cin_plan is not null as is_cin_plan_open,
    statuses.cla_episode is not null as is_cla_open,
    coalesce(
        statuses.cin_episode is not null or statuses.cp_plan is not null
        or statuses.cla_episode is not null, false
    ) as is_open,
    allocations.child_key is not null as is_allocated,
    allocations.worker_key,
    coalesce(allocations.team_id, '-1') as team_id,
    coalesce(allocations.service_area_id, '-1') as service_area_id,
    statuses.cin_episode.record_key as referral_key,
    statuses.cin_episode.start_date as referral_date,
    statuses.cp_plan.record_key as cp_plan_key,
    statuses.cp_plan.start_date as cp_plan_start_date,
    statuses.cin_plan.record_key as cin_plan_key,
    statuses.cin_plan.start_date as cin_plan_start_date,
    statuses.cla_episode.record_key as cla_episode_key,
    statuses.cla_episode.start_date as cla_episode_start_date,
    legal_statuses.legal_status.code as legal_status_code,
    statuses.latest_referral.team_id as referral_team_id,
    statuses.latest_referral.service_area_id as referral_service_area_id,
    statuses.latest_cin_plan.team_id as cin_plan_team_id,
    statuses.latest_cin_plan.service_area_id as cin_plan_service_area_id
from statuses
full outer join allocations
    on allocations.la_code = statuses.la_code
        and allocations.snapshot_date = statuses.snapshot_date
        and allocations.child_key = statuses.child_key
left join legal_statuses
    on legal_statuses.la_code = coalesce(statuses.la_code, allocations.la_code)
        and legal_statuses.snapshot_date = coalesce(statuses.snapshot_date, allocations.snapshot_date)
        and legal_statuses.child_key = coalesce(statuses.child_key, allocations.child_key)
