{#- Aggregates that skip NULLs on DuckDB and not on Spark: DuckDB's arg_max/max_by, arg_min/min_by
    and any_value pass over rows whose value is NULL; Spark's max_by and min_by skip a NULL
    ordering only, and its any_value keeps NULLs unless told not to. -#}

{#- The value of `value` on the row with the greatest `order_by`, rows where either is NULL
    skipped, as DuckDB's arg_max skips them; written as one ordering both engines skip alike
    (each skips a NULL ordering; Spark's max_by would take a NULL value). Rows tied on
    `order_by` are settled by the value itself, the greatest, so that both engines, and any two
    runs, pick the same row. -#}
{% macro latest_value(value, order_by) -%}
    max_by({{ value }}, {{ value_ordering(value, order_by) }})
{%- endmacro %}

{#- The value of `value` on the row with the least `order_by`; ties to the least value. -#}
{% macro earliest_value(value, order_by) -%}
    min_by({{ value }}, {{ value_ordering(value, order_by) }})
{%- endmacro %}

{% macro value_ordering(value, order_by) -%}
    case when ({{ value }}) is not null and ({{ order_by }}) is not null
        then {{ struct_of({'order_by': order_by, 'value': value}) }} end
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
