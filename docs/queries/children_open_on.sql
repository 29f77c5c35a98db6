-- Children open to children's social care on any date, with their allocated worker and team
-- that day. Run against the warehouse (read-only) after setting the date:
--   SET VARIABLE as_at = DATE '2024-05-15';
-- Rule 1: a record is open at d when start_date <= d and (end_date is null or end_date > d).
-- Open by rule 17 = an open CIN episode, CP plan or looked-after episode. Of several open
-- allocations, the latest-starting gives the worker and team, and of two starting the same day
-- the higher source allocation id (rule 36, as at month ends).
with open_records as (
    select *
    from conformed.fct_child_status_intervals
    where start_date <= getvariable('as_at')
      and (end_date is null or end_date > getvariable('as_at'))
),

allocated as (
    select la_code, child_key, worker_key, team_id, service_area_id
    from conformed.fct_allocations
    where start_date <= getvariable('as_at')
      and (end_date is null or end_date > getvariable('as_at'))
    qualify row_number() over (
        partition by la_code, child_key order by start_date desc, allocation_id_rank desc nulls last, allocation_key) = 1
),

statuses as (
    select
        la_code,
        child_key,
        bool_or(status = 'cin_episode') as is_cin_open,
        bool_or(status = 'cp_plan') as is_cp_open,
        bool_or(status = 'cin_plan') as is_cin_plan_open,
        bool_or(status = 'cla_episode') as is_cla_open,
        arg_max(legal_status_code, start_date) filter (where status = 'legal_status') as legal_status_code
    from open_records
    group by la_code, child_key
    having bool_or(status <> 'legal_status')
)

select
    coalesce(statuses.la_code, allocated.la_code) as la_code,
    getvariable('as_at') as as_at,
    coalesce(statuses.child_key, allocated.child_key) as child_key,
    coalesce(statuses.is_cin_open, false) as is_cin_open,
    coalesce(statuses.is_cp_open, false) as is_cp_open,
    coalesce(statuses.is_cin_plan_open, false) as is_cin_plan_open,
    coalesce(statuses.is_cla_open, false) as is_cla_open,
    coalesce(statuses.is_cin_open or statuses.is_cp_open or statuses.is_cla_open, false) as is_open,
    statuses.legal_status_code,
    allocated.worker_key,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, '-1') as service_area_id
from statuses
full outer join allocated
    on allocated.la_code = statuses.la_code
   and allocated.child_key = statuses.child_key
order by la_code, child_key
