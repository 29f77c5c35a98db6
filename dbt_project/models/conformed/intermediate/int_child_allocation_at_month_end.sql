-- Each child's allocated worker and team at every month end: the latest-starting allocation
-- open on that date (ties on start go to the higher source allocation id: rule 36,
-- allocation_precedence). Snapshot measures attribute children to this team.
select
    ranked.la_code,
    ranked.snapshot_date,
    ranked.child_key,
    ranked.worker_key,
    ranked.team_id,
    ranked.service_area_id
from (
    select
        open_allocations.*,
        row_number() over (
            partition by open_allocations.la_code, open_allocations.snapshot_date, open_allocations.child_key
            order by {{ allocation_precedence('open_allocations') }} asc
        ) as allocation_rank
    from {{ ref('int_allocations_open_at_month_end') }} as open_allocations
) as ranked
where ranked.allocation_rank = 1
