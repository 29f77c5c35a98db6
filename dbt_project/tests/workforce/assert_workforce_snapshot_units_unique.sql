-- Snapshot detail rows of the workforce domain: one row per unit, measure and month end, on a
-- published month end only.
-- A test of several models: shown in Dagster as a check on kpi_rmm_significant_4w_detail.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_rmm_significant_4w_detail'}}}) }}
with details as (
    select la_code, kpi_id, snapshot_date, child_key as unit_key from {{ ref('kpi_rmm_significant_4w_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_rmm_moderate_12w_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, staff_key from {{ ref('kpi_supervision_monthly_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, child_key from {{ ref('kpi_case_supervision_monthly_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, unit_type || worker_key || coalesce('|' || child_key, '') from {{ ref('kpi_caseload_average_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, worker_key from {{ ref('kpi_caseload_over_20_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, worker_key from {{ ref('kpi_nqsw_caseload_protected_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, staff_key from {{ ref('kpi_agency_rate_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, coalesce(vacancy_key, staff_key) from {{ ref('kpi_vacancy_rate_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, unit_type || staff_key from {{ ref('kpi_turnover_rate_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, audit_key from {{ ref('kpi_audit_actions_overdue_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, early_help_episode_key from {{ ref('kpi_early_help_open_detail') }}
),

duplicated as (
    select la_code, kpi_id, snapshot_date, unit_key, 'duplicate unit' as problem
    from details
    group by all
    having count(*) > 1
),

off_month_end as (
    select details.la_code, details.kpi_id, details.snapshot_date, details.unit_key, 'not a published month end'
    from details
    left join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = details.la_code
       and month_ends.snapshot_date = details.snapshot_date
    where month_ends.snapshot_date is null
)

select * from duplicated
union all
select * from off_month_end
