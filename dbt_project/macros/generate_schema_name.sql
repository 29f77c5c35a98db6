{# Schemas are named by layer (staging, conformed, kpi, reference), not prefixed by target. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
