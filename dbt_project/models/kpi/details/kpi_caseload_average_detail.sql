-- caseload_average: "At period end: for case-holding staff in post (staf_case_holding = Y),
-- distinct children with an open allocation (ssd_involvements) divided by the FTE of those
-- staff; by team and service area." Rule 30: missing FTE = 1.0. Rule 36: caseloads are per
-- worker: a child allocated to workers in two teams counts once in each worker's caseload and
-- so in each of their teams; the authority (and a service area) counts the child once. Two
-- kinds of row: a case-holding worker in post at the month end (unit_type 'worker': numerator
-- 0, denominator = FTE) and each child with an open allocation to such a worker (unit_type
-- 'child': numerator 1, denominator 0). The numerator of a level is its distinct children
-- (stack_kpi_results option distinct_numerator), so it is not the sum of these rows where a
-- child has several workers. Team: the worker's team at the date (rule 37).
with case_holders as (
    select *
    from {{ ref('kpi_caseload_by_worker') }}
    where is_case_holding
),

held_children as (
    select distinct allocations.la_code, allocations.snapshot_date, allocations.worker_key, allocations.child_key
    from {{ ref('int_allocations_open_at_month_end') }} as allocations
    join case_holders
        on case_holders.la_code = allocations.la_code
            and case_holders.snapshot_date = allocations.snapshot_date
            and case_holders.worker_key = allocations.worker_key
)

select
    la_code,
    'caseload_average' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    'worker' as unit_type,
    worker_key,
    staff_key,
    null::{{ text_type() }} as child_key,
    role,
    fte,
    open_children,
    null::boolean as is_met,
    open_children || ' children allocated on ' || fte || ' FTE' as reason,
    0 as numerator,
    fte as denominator
from case_holders

union all

select
    held.la_code,
    'caseload_average' as kpi_id,
    held.snapshot_date,
    case_holders.team_id,
    case_holders.service_area_id,
    'child' as unit_type,
    held.worker_key,
    case_holders.staff_key,
    held.child_key,
    case_holders.role,
    case_holders.fte,
    case_holders.open_children,
    null::boolean as is_met,
    'allocated to a case-holding worker in post' as reason,
    1 as numerator,
    0 as denominator
from held_children as held
join case_holders
    on case_holders.la_code = held.la_code
        and case_holders.snapshot_date = held.snapshot_date
        and case_holders.worker_key = held.worker_key
