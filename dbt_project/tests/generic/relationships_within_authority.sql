{#- dbt's `relationships`, matched within the authority: ids such as team ids are unique only
    within one authority, so a team id must resolve to that authority's team, not any team.
    `parent_where` narrows the parents that count (dim_child: children held in ssd_person, not
    the unknown members inferred for orphan keys). Fails with one row per authority and
    unresolved id. -#}
{% test relationships_within_authority(model, column_name, to, field, parent_where='true') %}
with child as (
    select la_code, {{ column_name }} as id from {{ model }}
),

parent as (
    select la_code, {{ field }} as id from {{ to }}
    where {{ parent_where }}
)

select child.la_code, child.id as unresolved_id, count(*) as rows_unresolved
from child
left join parent
    on parent.la_code = child.la_code
   and parent.id = child.id
where child.id is not null
  and parent.id is null
group by all
{% endtest %}
