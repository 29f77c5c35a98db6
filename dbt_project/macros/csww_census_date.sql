{#- The date a workforce census (CSWW) describes: its reference day (vars csww_reference_month
    and csww_reference_day, 30 September) of the collection year. -#}
{% macro csww_census_date(return_year) -%}
    make_date({{ return_year }}, {{ var('csww_reference_month') }}, {{ var('csww_reference_day') }})
{%- endmacro %}
