-- cp_plans_open: distinct children with a CP plan open at period end (start <= date, end null
-- or > date). One row per child and month end; the plan shown is the earliest-starting open one.
select
    la_code,
    'cp_plans_open' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    cp_plan_key,
    cp_plan_start_date,
    worker_key,
    null::boolean as is_met,
    'CP plan open since ' || {{ format_date('cp_plan_start_date', '%Y-%m-%d') }} as reason,
    1 as numerator,
    null::integer as denominator
from {{ ref('fct_child_status_month_end') }}
where is_cp_open
