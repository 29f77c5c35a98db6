-- Each child's allocated worker and team at every month end: the latest-starting allocation
-- open on that date. Snapshot measures attribute children to this team.
select
    month_ends.la_code,
    month_ends.snapshot_date,
    allocations.child_key,
    allocations.worker_key,
    allocations.team_id,
    allocations.service_area_id
from {{ ref('int_month_ends') }} as month_ends
join {{ ref('fct_allocations') }} as allocations
    on allocations.la_code = month_ends.la_code
   and allocations.start_date <= month_ends.snapshot_date
   and (allocations.end_date is null or allocations.end_date > month_ends.snapshot_date)
qualify row_number() over (
    partition by month_ends.la_code, month_ends.snapshot_date, allocations.child_key
    order by allocations.start_date desc, allocations.allocation_key) = 1
