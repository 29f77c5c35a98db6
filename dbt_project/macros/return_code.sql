{#- A statutory return's code in the conformed code list: the `canonical` of the row of
    seeds/return_code_maps.csv for this return table and column whose years (year_from..year_to,
    empty = open) hold the return year of the row's own return (raw `return_year`: a council's
    returns of several years load side by side, each read with its year's codes). The map is
    data: a new return year is a seed row, never a branch here. A code with no mapping for the
    year passes through unchanged, so it stays visible (and the in_code_list tests of the
    conformed layer report it); nothing is nulled. `return_year`: the expression holding the
    row's return year. -#}
{% macro return_code(value, table, column, return_year='return_year') -%}
coalesce(
    (
        select {{ any_non_null('code_map.canonical') }}
        from {{ ref('return_code_maps') }} as code_map
        where code_map.table_name = '{{ table }}'
          and code_map.column_name = '{{ column }}'
          and code_map.code = trim({{ value }})
          and {{ return_year }} between coalesce(code_map.year_from, 0) and coalesce(code_map.year_to, 9999)
    ),
    trim({{ value }})
)
{%- endmacro %}
