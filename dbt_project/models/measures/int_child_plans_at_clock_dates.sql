-- The CP and CIN plans of each child open at every clock date (each published month end and
-- the data date; open_at_clock_dates): the earliest-starting open plan of each type, from which
-- a child with several open plans is judged (rule 14), as fct_child_status_month_end does at
-- month ends. The population of the visit and core group clocks.
{%- set plan = struct_of({'start_date': 'start_date', 'record_key': 'record_key'}) %}
with plans as (
    select la_code, child_key, status, record_key, start_date, end_date
    from {{ ref('fct_child_status_intervals') }}
    where status in ('cp_plan', 'cin_plan')
),

open_plans as (
    select * from {{ open_at_clock_dates('plans') }} as open_plans
),

earliest as (
    select
        la_code,
        clock_date,
        child_key,
        min({{ plan }}) filter (where status = 'cp_plan') as cp_plan,
        min({{ plan }}) filter (where status = 'cin_plan') as cin_plan
    from open_plans
    group by la_code, clock_date, child_key
)

select
    earliest.la_code,
    earliest.clock_date,
    earliest.child_key,
    cp_plan.record_key as cp_plan_key,
    cp_plan.start_date as cp_plan_start_date,
    cin_plan.record_key as cin_plan_key,
    cin_plan.start_date as cin_plan_start_date
from earliest
