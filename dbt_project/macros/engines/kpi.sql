{#- Engine differences met by the measures and KPI models (as-of joins, timestamp arithmetic,
    lists of values and words). struct_of is conformed.sql's. -#}

{#- A left as-of join, as a join clause: each row of `left` (a relation named `left_alias` in
    the query, unique on `keys` and `left_date`) with the row of `right` (as `right_alias`)
    sharing `keys` whose `right_date` is the latest on or before its `left_date`, or none.
    DuckDB has ASOF joins; Spark ranks the candidates once per left row (`tie_breaker`, an
    ORDER BY list of `right_alias` columns, keeps equal dates deterministic). -#}
{% macro asof_left_join(left, left_alias, right, right_alias, keys, left_date, right_date, tie_breaker=none) -%}
    {{ return(adapter.dispatch('asof_left_join', 'csc_warehouse')(left, left_alias, right, right_alias, keys, left_date, right_date, tie_breaker)) }}
{%- endmacro %}

{% macro duckdb__asof_left_join(left, left_alias, right, right_alias, keys, left_date, right_date, tie_breaker) -%}
asof left join {{ right }} as {{ right_alias }}
    on
    {%- for key in keys %} {{ right_alias }}.{{ key }} = {{ left_alias }}.{{ key }}
    and{% endfor %} {{ right_alias }}.{{ right_date }} <= {{ left_alias }}.{{ left_date }}
{%- endmacro %}

{% macro spark__asof_left_join(left, left_alias, right, right_alias, keys, left_date, right_date, tie_breaker) -%}
left join (
    select * from (
        select
            asof_right.*,
            asof_left.{{ left_date }} as asof_left_date,
            row_number() over (
                partition by {% for key in keys %}asof_left.{{ key }}, {% endfor %}asof_left.{{ left_date }}
                order by asof_right.{{ right_date }} desc
                {%- if tie_breaker %}, {{ tie_breaker | replace(right_alias ~ '.', 'asof_right.') }}{% endif %}
            ) as asof_rank
        from (select distinct {% for key in keys %}{{ key }}, {% endfor %}{{ left_date }} from {{ left }}) as asof_left
        join {{ right }} as asof_right
            on
            {%- for key in keys %} asof_right.{{ key }} = asof_left.{{ key }}
            and{% endfor %} asof_right.{{ right_date }} <= asof_left.{{ left_date }}
    ) as asof_ranked
    where asof_rank = 1
) as {{ right_alias }}
    on
    {%- for key in keys %} {{ right_alias }}.{{ key }} = {{ left_alias }}.{{ key }}
    and{% endfor %} {{ right_alias }}.asof_left_date = {{ left_alias }}.{{ left_date }}
{%- endmacro %}

{#- Timestamp `value` plus `seconds` (a whole number), a timestamp. -#}
{% macro add_seconds(value, seconds) -%}
    {{ return(adapter.dispatch('add_seconds', 'csc_warehouse')(value, seconds)) }}
{%- endmacro %}

{% macro duckdb__add_seconds(value, seconds) -%}
    {{ value }} + to_seconds({{ seconds }})
{%- endmacro %}

{% macro spark__add_seconds(value, seconds) -%}
    timestampadd(second, {{ seconds }}, {{ value }})
{%- endmacro %}

{#- The words of text `value` (split at runs of white space, trimmed), one row each, as two
    select-list columns: the word, `value_name`, and its position, `position_name` (counting
    from 1 on DuckDB, 0 on Spark: for ordering only). -#}
{% macro unnest_words_with_position(value, value_name, position_name) -%}
    {{ return(adapter.dispatch('unnest_words_with_position', 'csc_warehouse')(value, value_name, position_name)) }}
{%- endmacro %}

{% macro duckdb__unnest_words_with_position(value, value_name, position_name) -%}
    unnest(regexp_split_to_array(trim({{ value }}), '\s+')) as {{ value_name }},
    generate_subscripts(regexp_split_to_array(trim({{ value }}), '\s+'), 1) as {{ position_name }}
{%- endmacro %}

{% macro spark__unnest_words_with_position(value, value_name, position_name) -%}
    posexplode(split(trim({{ value }}), '\\s+')) as ({{ position_name }}, {{ value_name }})
{%- endmacro %}

{#- One output row per value of `values` (a list of SQL expressions of one type), as a
    set-returning select-list expression: `select t.*, {{ unnest_values(["'a'", 'x']) }} as v`. -#}
{% macro unnest_values(values) -%}
    {{ return(adapter.dispatch('unnest_values', 'csc_warehouse')(values)) }}
{%- endmacro %}

{% macro duckdb__unnest_values(values) -%}
    unnest([{{ values | join(', ') }}])
{%- endmacro %}

{% macro spark__unnest_values(values) -%}
    explode(array({{ values | join(', ') }}))
{%- endmacro %}

{#- A double rounded to `digits` decimal places as DuckDB rounds it (the scaled value rounded
    half away from zero in binary: 18.955 is 18.95); Spark's round goes through the decimal
    text (18.96). For text shown to people, where the two must agree. -#}
{% macro round_double(value, digits) -%}
    {{ return(adapter.dispatch('round_double', 'csc_warehouse')(value, digits)) }}
{%- endmacro %}

{% macro duckdb__round_double(value, digits) -%}
    round({{ value }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_double(value, digits) -%}
    (round(cast({{ value }} as double) * {{ 10 ** digits }}) / {{ 10 ** digits }})
{%- endmacro %}
