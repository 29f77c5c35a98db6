{#- On Spark the sources are the Parquet files ingestion writes (one folder per source table under
    CSCW_RAW_PARQUET/<schema>/<table>): registered as external tables before the build, so the
    models read `source()` as on DuckDB, where ingestion loads them into the warehouse itself. -#}
{% macro register_parquet_sources() -%}
    {{ return(adapter.dispatch('register_parquet_sources', 'csc_warehouse')()) }}
{%- endmacro %}

{% macro default__register_parquet_sources() -%}
    select 1
{%- endmacro %}

{% macro spark__register_parquet_sources() -%}
    {%- if execute -%}
        {%- set root = env_var('CSCW_RAW_PARQUET') -%}
        {%- for source in graph.sources.values() -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query(
                'create table if not exists ' ~ source.schema ~ '.' ~ source.identifier
                ~ " using parquet location '" ~ root ~ '/' ~ source.schema ~ '/'
                ~ source.identifier ~ "'") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
