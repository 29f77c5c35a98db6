-- Snapshot detail rows sit on published month ends only, one row per child and month end.
-- A test of several models: shown in Dagster as a check on kpi_cp_plans_open_detail.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_cp_plans_open_detail'}}}) }}
with details as (
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_cp_plans_open_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_cp_visits_10wd_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_core_groups_timely_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_cin_open_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_cin_visits_20wd_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_unallocated_cases_detail') }}
),

duplicated as (
    select la_code, kpi_id, snapshot_date, child_key, 'duplicate unit' as problem
    from details
    group by all
    having count(*) > 1
),

off_month_end as (
    select details.la_code, details.kpi_id, details.snapshot_date, details.child_key, 'not a published month end'
    from details
    left join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = details.la_code
       and month_ends.snapshot_date = details.snapshot_date
    where month_ends.snapshot_date is null
)

select * from duplicated
union all
select * from off_month_end
