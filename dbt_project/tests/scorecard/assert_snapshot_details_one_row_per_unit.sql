-- Snapshot and monthly detail rows of every catalogue measure sit on published month ends only,
-- one row per unit, measure and month end (the unit is the catalogue's unit_key columns).
-- A test of every detail model (kpi_measures): shown in Dagster as a check on int_kpi_results.
-- dagster-dbt makes a check only of a test that is a child of the model its meta names (else it
-- logs the test as an observation, with a warning), hence the dependency:
-- depends_on: {{ ref('int_kpi_results') }}
{{ config(meta={'dagster': {'ref': {'name': 'int_kpi_results'}}}) }}
{%- set snapshots = [] %}
{%- for measure in kpi_measures() if measure.kind in ('snapshot', 'monthly') and not measure.detail_of %}
    {%- if not measure.unit_key %}
        {{ exceptions.raise_compiler_error("seeds/kpi_catalogue.csv: " ~ measure.kpi_id ~ " (" ~ measure.kind ~ ") needs its unit_key") }}
    {%- endif %}
    {%- do snapshots.append(measure) %}
{%- endfor %}
with details as (
{%- for measure in snapshots %}
    select la_code, kpi_id, snapshot_date,
           concat_ws('|', {{ measure.unit_key | join(', ') }}) as unit_key
    from {{ measure.detail }}
    {% if not loop.last %}union all{% endif %}
{%- else %}
    select null::varchar as la_code, null::varchar as kpi_id, null::date as snapshot_date, null::varchar as unit_key
    where false
{%- endfor %}
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
