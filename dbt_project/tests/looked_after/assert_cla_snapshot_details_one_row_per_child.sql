-- Snapshot details of looked-after children list each child at most once per month end
-- (cla_open counts distinct children; the other child-level snapshot measures build on it).
-- A test of several models: shown in Dagster as a check on kpi_cla_open_detail.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_cla_open_detail'}}}) }}
with units as (
    select kpi_id, la_code, snapshot_date, child_key from {{ ref('kpi_cla_open_detail') }}
    union all
    select kpi_id, la_code, snapshot_date, child_key from {{ ref('kpi_cla_visits_timely_detail') }}
    union all
    select kpi_id, la_code, snapshot_date, child_key from {{ ref('kpi_iro_oversight_2in12m_detail') }}
    union all
    select kpi_id, la_code, snapshot_date, child_key from {{ ref('kpi_placement_stability_3plus_detail') }}
)

select kpi_id, la_code, snapshot_date, child_key, count(*) as rows_for_child
from units
group by all
having count(*) > 1
