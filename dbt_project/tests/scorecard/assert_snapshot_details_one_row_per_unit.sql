-- Snapshot and monthly detail rows of every catalogue measure sit on published month ends only,
-- one row per unit, measure and month end (the unit is the catalogue's unit_key columns).
-- A test of every detail model (kpi_measures): shown in Dagster as a check on int_kpi_results.
-- dagster-dbt makes a check only of a test that is a child of the model its meta names (else it
-- logs the test as an observation, with a warning), hence the dependency:
-- depends_on: {{ ref('int_kpi_results') }}
{{ config(meta={'dagster': {'ref': {'name': 'int_kpi_results'}}}) }}
{%- set month_ends = ref('int_month_ends') %}
{%- set snapshots = [] %}
{%- for measure in kpi_measures() if measure.kind in ('snapshot', 'monthly') and not measure.detail_of %}
    {%- if not measure.unit_key %}
        {{ exceptions.raise_compiler_error("seeds/kpi_catalogue.csv: " ~ measure.kpi_id ~ " (" ~ measure.kind ~ ") needs its unit_key") }}
    {%- endif %}
    {%- do snapshots.append(measure) %}
{%- endfor %}
{#- One pair of queries per detail model, grouped by its own columns: a single aggregate over
    every model's rows (137 million at all-England size, unit keys concatenated) ran out of DuckDB's
    memory limit. Only failing rows get the concatenated unit_key. #}
{%- for measure in snapshots %}
{%- set unit = measure.unit_key | join(', ') %}
select la_code, kpi_id, snapshot_date, concat_ws('|', {{ unit }}) as unit_key,
       'duplicate unit' as problem
from {{ measure.detail }}
group by la_code, kpi_id, snapshot_date, {{ unit }}
having count(*) > 1

union all

select details.la_code, details.kpi_id, details.snapshot_date,
       concat_ws('|', {% for column in measure.unit_key %}details.{{ column }}{{ ", " if not loop.last }}{% endfor %}) as unit_key,
       'not a published month end' as problem
from {{ measure.detail }} as details
left join {{ month_ends }} as month_ends
    on month_ends.la_code = details.la_code
   and month_ends.snapshot_date = details.snapshot_date
where month_ends.snapshot_date is null
{% if not loop.last %}
union all
{% endif %}
{%- else %}
select cast(null as {{ text_type() }}) as la_code, cast(null as {{ text_type() }}) as kpi_id,
       cast(null as date) as snapshot_date, cast(null as {{ text_type() }}) as unit_key,
       cast(null as {{ text_type() }}) as problem
where false
{%- endfor %}
