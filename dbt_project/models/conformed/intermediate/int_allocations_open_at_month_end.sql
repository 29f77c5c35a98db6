-- Every allocation open at every published month end (rule 1): the caseloads behind
-- kpi_caseload_by_worker and the allocated worker of int_child_allocation_at_month_end.
select
    la_code,
    snapshot_date,
    allocation_key,
    allocation_id_rank,
    child_key,
    worker_key,
    team_id,
    service_area_id,
    start_date,
    end_date
from {{ open_at_month_ends(ref('fct_allocations')) }} as open_allocations
