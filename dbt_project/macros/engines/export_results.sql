{#- `cscw run --engine spark` (docs/scale.md): the quality gate and publication read what Spark
    built as the Parquet it writes here, CSCW_SPARK_RESULTS/<schema>/<name>, one folder a
    relation: every model and seed built, and the stored failing rows of every test that did not
    pass (the gate judges them per authority). Nothing is written when the variable is unset
    (the parity harness reads Spark's tables through its own session). -#}
{% macro export_results_as_parquet(results) -%}
    {{ return(adapter.dispatch('export_results_as_parquet', 'csc_warehouse')(results)) }}
{%- endmacro %}

{% macro default__export_results_as_parquet(results) -%}
    select 1
{%- endmacro %}

{% macro spark__export_results_as_parquet(results) -%}
    {%- set root = env_var('CSCW_SPARK_RESULTS', '') -%}
    {%- if execute and root -%}
        {%- for result in results -%}
            {%- set node = result.node -%}
            {%- set built = node.resource_type in ('model', 'seed') and result.status == 'success' -%}
            {%- set failed_rows = node.resource_type == 'test' and result.status in ('fail', 'warn')
                and node.config.store_failures -%}
            {%- if built or failed_rows -%}
                {%- do run_query(
                    "insert overwrite directory '" ~ root ~ '/' ~ node.schema ~ '/' ~ node.alias
                    ~ "' using parquet select * from " ~ node.schema ~ '.' ~ node.alias) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
