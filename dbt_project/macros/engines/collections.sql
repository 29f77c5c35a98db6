{#- Lists and structs. DuckDB writes a list of structs `[{'a': x}, ...]` and unnests it; Spark
    explodes an array of named_structs. -#}

{#- One output row per entry of `rows` (a list of dicts of SQL expressions, the same keys in
    each), as a set-returning select-list expression yielding a struct:
    `select t.*, {{ unnest_structs([{'k': "'a'", 'v': 'x'}, ...]) }} as entry from t`, then
    `entry.k`. -#}
{% macro unnest_structs(rows) -%}
    {{ return(adapter.dispatch('unnest_structs', 'csc_warehouse')(rows)) }}
{%- endmacro %}

{% macro duckdb__unnest_structs(rows) -%}
    unnest([
        {%- for row in rows %}
        { {%- for key, value in row.items() %}'{{ key }}': {{ value }}{{ ', ' if not loop.last }}{% endfor -%} }{{ ',' if not loop.last }}
        {%- endfor %}
    ])
{%- endmacro %}

{% macro spark__unnest_structs(rows) -%}
    explode(array(
        {%- for row in rows %}
        named_struct({%- for key, value in row.items() %}'{{ key }}', {{ value }}{{ ', ' if not loop.last }}{% endfor -%}){{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{#- The parts of text `value` split at `separator`, one row each, as a set-returning
    select-list expression. -#}
{% macro unnest_split(value, separator) -%}
    {{ return(adapter.dispatch('unnest_split', 'csc_warehouse')(value, separator)) }}
{%- endmacro %}

{% macro duckdb__unnest_split(value, separator) -%}
    unnest(string_split({{ value }}, '{{ separator }}'))
{%- endmacro %}

{#- split() takes a regular expression: the separator is quoted. -#}
{% macro spark__unnest_split(value, separator) -%}
    explode(split({{ value }}, '\\Q{{ separator }}\\E'))
{%- endmacro %}

{#- The values of `value` in a group joined by `separator` in the order of `order_by` (the
    values themselves when none), optionally distinct: DuckDB's string_agg(... order by ...).
    dbt's own listagg ignores the order on Spark. -#}
{% macro ordered_string_agg(value, separator, order_by=none, distinct=false) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'csc_warehouse')(value, separator, order_by, distinct)) }}
{%- endmacro %}

{% macro duckdb__ordered_string_agg(value, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ value }}, '{{ separator }}' order by {{ order_by or value }})
{%- endmacro %}

{#- Spark: sort (key, value) pairs collected from the group, then join the values; nulls are
    dropped, and a group with none is null, as string_agg has them. -#}
{% macro spark__ordered_string_agg(value, separator, order_by, distinct) -%}
    case when count({{ value }}) > 0 then array_join(transform(
        array_sort({{ 'collect_set' if distinct else 'collect_list' }}(
            case when {{ value }} is not null then named_struct('k', {{ order_by or value }}, 'v', {{ value }}) end)),
        pair -> pair.v), '{{ separator }}') end
{%- endmacro %}
