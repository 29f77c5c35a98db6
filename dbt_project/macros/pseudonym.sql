{#- A keyed, non-reversible key for a case-management identifier, unique within its kind and
    authority. The HMAC key is bound to the connection by orchestration/lib/dbt_plugin.py. -#}
{% macro pseudonym(kind, la_code, id_column) -%}
    case when {{ id_column }} is not null
         then cscw_pseudonym('{{ kind }}|' || {{ la_code }} || '|' || {{ id_column }}) end
{%- endmacro %}
