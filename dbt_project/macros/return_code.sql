{#- A statutory return's code in the conformed code list: the `canonical` of the row of
    seeds/return_code_maps.csv for this return table and column whose years (year_from..year_to,
    empty = open) hold the return year of the authority's current version of the table
    (stg_raw_meta__current_versions). The map is data: a new return year is a seed row, never a
    branch here. A code with no mapping for the year passes through unchanged, so it stays
    visible (and the in_code_list tests of the conformed layer report it); nothing is nulled.
    `la_code`: the expression holding the row's authority. -#}
{% macro return_code(value, table, column, la_code='la_code') -%}
coalesce(
    (
        select any_value(code_map.canonical)
        from {{ ref('return_code_maps') }} as code_map
        join {{ ref('stg_raw_meta__current_versions') }} as versions
            on versions.table_name = code_map.table_name
           and versions.return_year between coalesce(code_map.year_from, 0) and coalesce(code_map.year_to, 9999)
        where versions.la_code = {{ la_code }}
          and code_map.table_name = '{{ table }}'
          and code_map.column_name = '{{ column }}'
          and code_map.code = trim({{ value }})
    ),
    trim({{ value }})
)
{%- endmacro %}
