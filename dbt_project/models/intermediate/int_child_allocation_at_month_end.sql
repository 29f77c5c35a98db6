-- Each child's allocated worker and team at every month end: the latest-starting allocation
-- open on that date (open at d: start <= d and (end null or end > d); ties on start broken by
-- allocation_key). Snapshot measures attribute children to this team. Each allocation is
-- expanded to the month ends it spans (work proportional to the rows produced) and matched to
-- int_month_ends by equality, as in fct_child_status_month_end.
with month_spans as (
    -- the calendar months from the allocation's start (or the first published period) to the
    -- day before its end (or the data date)
    select
        allocations.la_code,
        allocations.allocation_key,
        allocations.child_key,
        allocations.worker_key,
        allocations.team_id,
        allocations.service_area_id,
        allocations.start_date,
        allocations.end_date,
        unnest(generate_series(
            date_trunc('month', greatest(allocations.start_date, authority.first_period_start)),
            date_trunc('month', least(coalesce(allocations.end_date - 1, authority.as_at_date), authority.as_at_date)),
            interval 1 month)) as month_start
    from {{ ref('fct_allocations') }} as allocations
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = allocations.la_code
    where allocations.start_date is not null
),

open_at_month_end as (
    select month_spans.*, month_ends.snapshot_date
    from month_spans
    join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = month_spans.la_code
       and month_ends.snapshot_date = last_day(month_spans.month_start)
    where month_spans.start_date <= month_ends.snapshot_date
      and (month_spans.end_date is null or month_spans.end_date > month_ends.snapshot_date)
)

select
    la_code,
    snapshot_date,
    child_key,
    worker_key,
    team_id,
    service_area_id
from open_at_month_end
qualify row_number() over (
    partition by la_code, snapshot_date, child_key
    order by start_date desc, allocation_key) = 1
