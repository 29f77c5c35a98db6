-- Caseload by worker and team at every month end (issue 6): case-holding staff and newly
-- qualified social workers in post at the month end (rule 2), with the distinct children
-- allocated to them (open ssd_involvements rows, rule 1), whether that is over the caseload
-- limit and, for NQSWs, within the protected caseload. A worker with several ext_staff rows
-- in post on the date is shown once, on the latest-starting row.
-- children_in_average: each child counts once in caseload_average, for the case-holding
-- worker of their latest-starting open allocation, so that the authority's average is of
-- distinct children (catalogue) and adds up over teams.
with parameters as (
    select
        {{ kpi_parameter('caseload_over_20', 'caseload_limit') }} as caseload_limit,
        {{ kpi_parameter('nqsw_caseload_protected', 'protected_caseload') }} as protected_limit
),

staff_in_post as (
    select *
    from {{ ref('fct_staff_months') }}
    where is_in_post_at_month_end
      and (is_case_holding or is_nqsw)
    qualify row_number() over (
        partition by la_code, month_end, worker_key order by start_date desc, staff_key) = 1
),

open_allocations as (
    select la_code, snapshot_date, worker_key, child_key, start_date, allocation_key
    from {{ ref('int_allocations_open_at_month_end') }}
),

worker_caseloads as (
    select la_code, snapshot_date, worker_key, count(distinct child_key) as open_children
    from open_allocations
    group by all
),

children_for_average as (
    -- each child once: the latest-starting open allocation to a case-holding worker in post
    select open_allocations.la_code, open_allocations.snapshot_date, open_allocations.worker_key,
           open_allocations.child_key
    from open_allocations
    join staff_in_post
        on staff_in_post.la_code = open_allocations.la_code
       and staff_in_post.month_end = open_allocations.snapshot_date
       and staff_in_post.worker_key = open_allocations.worker_key
       and staff_in_post.is_case_holding
    qualify row_number() over (
        partition by open_allocations.la_code, open_allocations.snapshot_date, open_allocations.child_key
        order by open_allocations.start_date desc, open_allocations.allocation_key) = 1
),

worker_children_for_average as (
    select la_code, snapshot_date, worker_key, count(*) as children_in_average
    from children_for_average
    group by all
)

select
    staff.la_code,
    staff.month_end as snapshot_date,
    staff.worker_key,
    staff.staff_key,
    staff.role,
    staff.employment,
    staff.team_id,
    staff.service_area_id,
    staff.fte,
    staff.is_case_holding,
    staff.is_nqsw,
    coalesce(caseloads.open_children, 0) as open_children,
    coalesce(averaged.children_in_average, 0) as children_in_average,
    parameters.caseload_limit,
    coalesce(caseloads.open_children, 0) > parameters.caseload_limit as is_over_limit,
    case when staff.is_nqsw then parameters.protected_limit end as protected_limit,
    case when staff.is_nqsw then coalesce(caseloads.open_children, 0) <= parameters.protected_limit end
        as is_within_protected_limit
from staff_in_post as staff
cross join parameters
left join worker_caseloads as caseloads
    on caseloads.la_code = staff.la_code
   and caseloads.snapshot_date = staff.month_end
   and caseloads.worker_key = staff.worker_key
left join worker_children_for_average as averaged
    on averaged.la_code = staff.la_code
   and averaged.snapshot_date = staff.month_end
   and averaged.worker_key = staff.worker_key
