{#- Aggregates that skip NULLs on DuckDB and not on Spark: DuckDB's arg_max/max_by, arg_min/min_by
    and any_value pass over rows whose value is NULL; Spark's max_by and min_by skip a NULL
    ordering only, and its any_value keeps NULLs unless told not to. -#}

{#- The value of `value` on the row with the greatest `order_by`, as DuckDB's arg_max has it:
    rows where either is NULL are skipped. Spark's max_by skips a NULL `order_by` only, so the
    NULL values are taken out of its ordering. -#}
{% macro latest_value(value, order_by) -%}
    {{ return(adapter.dispatch('latest_value', 'csc_warehouse')(value, order_by)) }}
{%- endmacro %}

{% macro duckdb__latest_value(value, order_by) -%}
    arg_max({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro spark__latest_value(value, order_by) -%}
    max_by({{ value }}, case when {{ value }} is not null then {{ order_by }} end)
{%- endmacro %}

{#- The value of `value` on the row with the least `order_by`, NULLs skipped as in latest_value. -#}
{% macro earliest_value(value, order_by) -%}
    {{ return(adapter.dispatch('earliest_value', 'csc_warehouse')(value, order_by)) }}
{%- endmacro %}

{% macro duckdb__earliest_value(value, order_by) -%}
    arg_min({{ value }}, {{ order_by }})
{%- endmacro %}

{% macro spark__earliest_value(value, order_by) -%}
    min_by({{ value }}, case when {{ value }} is not null then {{ order_by }} end)
{%- endmacro %}

{#- Any non-NULL value of `value` in the group (NULL when there is none). -#}
{% macro any_non_null(value) -%}
    {{ return(adapter.dispatch('any_non_null', 'csc_warehouse')(value)) }}
{%- endmacro %}

{% macro duckdb__any_non_null(value) -%}
    any_value({{ value }})
{%- endmacro %}

{% macro spark__any_non_null(value) -%}
    any_value({{ value }}, true)
{%- endmacro %}
