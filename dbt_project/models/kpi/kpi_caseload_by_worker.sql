-- Caseload by worker and team at every month end (issue 6): case-holding staff and newly
-- qualified social workers in post at the month end (rule 2), with the distinct children
-- allocated to them (open ssd_involvements rows, rule 1), whether that is over the caseload
-- limit and, for NQSWs, within the protected caseload. A worker with several ext_staff rows
-- in post on the date is shown once, on the latest-starting row.
-- children_in_average: the children this worker brings to caseload_average, which counts, for
-- case-holding staff in post, the distinct children allocated to each (rules 30, 36): all of a
-- case-holding worker's open children, including a child also held by another worker (it counts
-- in each worker's caseload and team, once in the authority); none for a worker not case-holding.
with parameters as (
    select
        {{ kpi_parameter('caseload_over_20', 'caseload_limit') }} as caseload_limit,
        {{ kpi_parameter('nqsw_caseload_protected', 'protected_caseload') }} as protected_limit
),

staff_in_post as (
    select
        la_code, month_end, worker_key, staff_key, role, employment, team_id, service_area_id, fte,
        is_case_holding, is_nqsw
    from (
        select
            *,
            row_number() over (
                partition by la_code, month_end, worker_key order by start_date desc, staff_key asc
            ) as precedence
        from {{ ref('fct_staff_months') }}
        where is_in_post_at_month_end
            and (is_case_holding or is_nqsw)
    ) as ranked
    where precedence = 1
),

open_allocations as (
    select la_code, snapshot_date, worker_key, child_key
    from {{ ref('int_allocations_open_at_month_end') }}
),

worker_caseloads as (
    select la_code, snapshot_date, worker_key, count(distinct child_key) as open_children
    from open_allocations
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
    case when staff.is_case_holding then coalesce(caseloads.open_children, 0) else 0 end as children_in_average,
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
