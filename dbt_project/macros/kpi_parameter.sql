{#- A measure's timescale parameter, read from the kpi_parameters seed at run time. -#}
{% macro kpi_parameter(kpi_id, parameter) -%}
    (select p.value from {{ ref('kpi_parameters') }} p
      where p.kpi_id = '{{ kpi_id }}' and p.parameter = '{{ parameter }}')
{%- endmacro %}
