{#- Text matching: DuckDB's regexp_full_match, Spark's rlike anchored (both RE2/Java syntax for
    the simple classes used here). -#}
{% macro regex_full_match(value, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'csc_warehouse')(value, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_full_match(value, pattern) -%}
    regexp_full_match({{ value }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_full_match(value, pattern) -%}
    ({{ value }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}
