{#- A yes/no read from a free-text answer the SSD keeps as text (a form answer, a CMS flag
    field): the loader's flag spellings (orchestration/lib/ingest/sql.py FLAG_TRUE /
    FLAG_FALSE) give true or false, anything else NULL (rule 7: not Y). -#}
{% macro text_flag(column) -%}
    case
        when upper(trim({{ column }})) in ('Y', 'YES', '1', 'TRUE', 'T') then true
        when upper(trim({{ column }})) in ('N', 'NO', '0', 'FALSE', 'F') then false
    end
{%- endmacro %}
