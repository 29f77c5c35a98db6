{#- dbt's built-in unique, accepted_values and relationships tests, returning the failing ROWS of
    the tested model (all its columns) instead of an aggregate: with store_failures on, the quality
    gate reads each failing row's la_code and holds back only the authorities that fail
    (docs/data_quality.md, "Verdicts"). Pass and fail are unchanged; the number of failures counts
    rows. dbt dispatches these from the root project first; not_null already returns `*` when
    failures are stored. -#}

{% macro default__test_unique(model, column_name) %}
with tested as (
    select * from {{ model }}
),

duplicated as (
    select {{ column_name }} as unique_field
    from tested
    where {{ column_name }} is not null
    group by {{ column_name }}
    having count(*) > 1
)

select tested.*
from tested
inner join duplicated on ({{ column_name }}) = duplicated.unique_field
{% endmacro %}


{% macro default__test_accepted_values(model, column_name, values, quote=True) %}
select *
from {{ model }}
where {{ column_name }} not in (
    {%- for value in values -%}
        {% if quote %}'{{ value }}'{% else %}{{ value }}{% endif %}{% if not loop.last %}, {% endif %}
    {%- endfor -%}
)
{% endmacro %}


{% macro default__test_relationships(model, column_name, to, field) %}
with tested as (
    select * from {{ model }}
),

parent as (
    select {{ field }} as to_field from {{ to }}
)

select tested.*
from tested
left join parent on tested.{{ column_name }} = parent.to_field
where tested.{{ column_name }} is not null
  and parent.to_field is null
{% endmacro %}
