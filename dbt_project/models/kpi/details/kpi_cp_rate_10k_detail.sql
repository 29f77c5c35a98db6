-- cp_rate_10k: cp_plans_open per 10,000 children aged 0-17. The units are those of
-- cp_plans_open; the scorecard divides by the authority's population itself.
select
    la_code,
    'cp_rate_10k' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    cp_plan_key,
    cp_plan_start_date,
    worker_key,
    is_met,
    reason,
    numerator,
    denominator
from {{ ref('kpi_cp_plans_open_detail') }}
