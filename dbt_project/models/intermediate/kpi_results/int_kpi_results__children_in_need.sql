-- children in need measures: aggregates of this domain's detail models, stacked.
-- Snapshot measures (one row per unit and month end) go through aggregate_snapshot_units,
-- flow measures (one row per unit, placed by its reference date) through aggregate_flow_units.
with snapshot_details as (
    select la_code, kpi_id, snapshot_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_cin_open_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_cin_rate_10k_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_cin_visits_20wd_detail') }}
    union all
    select la_code, kpi_id, snapshot_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_unallocated_cases_detail') }}
),

snapshot_results as (
    {{ aggregate_snapshot_units('snapshot_details') }}
),

flow_details as (
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_cin_reviews_timely_detail') }}
),

flow_results as (
    {{ aggregate_flow_units('flow_details') }}
)

select * from snapshot_results
union all
select * from flow_results
