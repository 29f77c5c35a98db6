{#- Annex A (Ofsted ILACS) column rules shared by the list models of models/restricted_outputs/annex_a.
    Each rule is written down in docs/annex_a.md. -#}

{#- Age in completed years on a date (the child's last birthday before or on it). -#}
{% macro annex_a_age(date_of_birth, at_date) -%}
    case when {{ date_of_birth }} <= {{ at_date }} then {{ completed_years_between(date_of_birth, at_date) }} end
{%- endmacro %}

{#- A coded value as Ofsted's Annex A expects it: the warehouse code (a DfE/SSD code, trimmed,
    matched case-insensitively) mapped by seeds/annex_a_codes.csv to the published Annex A schema's
    most detailed name variant carrying that code ("f) U6: Foster placement - not FFA"), else the
    category code (code_list names the warehouse list). A code with no Annex A value is
    written as delivered, so nothing is silently dropped and the checker names it. Set-based: a
    correlated lookup DuckDB plans as a join, not a per-row call; aggregated (the seed holds one
    row per list and code) because Spark takes only an aggregated correlated scalar subquery. -#}
{% macro annex_a_code(code_list, code) -%}
    coalesce(
        (select {{ any_non_null('m.annex_a_value') }} from {{ ref('annex_a_codes') }} as m
         where m.code_list = '{{ code_list }}' and lower(m.code) = lower(trim({{ code }}))),
        {{ code }})
{%- endmacro %}

{#- Yes/No as the January 2024 layout writes it: lettered ("a) Yes" / "b) No") for the columns
    whose sample values are lettered, plain ("Yes" / "No") for the others; NULL stays blank. -#}
{% macro annex_a_yes_no(condition, lettered=false) -%}
    case when {{ condition }} then '{{ "a) Yes" if lettered else "Yes" }}'
         when not ({{ condition }}) then '{{ "b) No" if lettered else "No" }}' end
{%- endmacro %}

{#- The start of the "last N months" a heading names, counted back from a date (inclusive). -#}
{% macro annex_a_months_before(at_date, months) -%}
    {{ add_months(at_date, -months) }}
{%- endmacro %}

{#- The child's columns every list starts with, from annex_a_children (alias `children`). -#}
{% macro annex_a_child_columns(age_at) -%}
    children.gender,
    children.ethnicity,
    children.date_of_birth,
    children.month_of_birth,
    {{ annex_a_age('children.date_of_birth', age_at) }} as age,
    children.disability
{%- endmacro %}
