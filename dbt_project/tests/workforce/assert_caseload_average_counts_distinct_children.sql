-- caseload_average: the distinct children of the detail rows of an authority at a month end are
-- the distinct children with an open allocation to a case-holding worker in post (catalogue:
-- "distinct children"; rule 36), counted independently from fct_allocations.
-- A test of several models: shown in Dagster as a check on kpi_caseload_average_detail.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_caseload_average_detail'}}}) }}
with counted as (
    select la_code, snapshot_date, count(distinct child_key) filter (where numerator > 0) as children_counted
    from {{ ref('kpi_caseload_average_detail') }}
    group by all
),

case_holders as (
    select la_code, snapshot_date, worker_key
    from {{ ref('kpi_caseload_by_worker') }}
    where is_case_holding
),

distinct_children as (
    select month_ends.la_code, month_ends.snapshot_date, count(distinct allocations.child_key) as children
    from {{ ref('int_month_ends') }} as month_ends
    join {{ ref('fct_allocations') }} as allocations
        on allocations.la_code = month_ends.la_code
            and allocations.start_date <= month_ends.snapshot_date
            and (allocations.end_date is null or allocations.end_date > month_ends.snapshot_date)
    join case_holders
        on case_holders.la_code = month_ends.la_code
            and case_holders.snapshot_date = month_ends.snapshot_date
            and case_holders.worker_key = allocations.worker_key
    group by all
)

select
    coalesce(counted.la_code, distinct_children.la_code) as la_code,
    coalesce(counted.snapshot_date, distinct_children.snapshot_date) as snapshot_date,
    counted.children_counted, distinct_children.children
from counted
full join distinct_children
    on distinct_children.la_code = counted.la_code
        and distinct_children.snapshot_date = counted.snapshot_date
where coalesce(counted.children_counted, 0) <> coalesce(distinct_children.children, 0)
