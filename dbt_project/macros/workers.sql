{#- Worker references as the scripts fill them: the professional id (prof_professional_id), or in
    some SystemC columns the staff id (prof_staff_id), or a description that matches nobody.
    Each named column of `relation` is replaced by the worker it resolves to: by professional id,
    else by staff id, else the authority's unknown worker '-1' (NULL stays NULL: no worker
    recorded). Orphaned references are counted at ingestion (raw_meta.orphans). -#}
{% macro resolve_workers(relation, columns=['worker_key']) -%}
(
    select
        {%- set resolved = {} %}
        {%- for column in columns %}
        {%- do resolved.update({column: 'coalesce(by_id_' ~ loop.index ~ '.worker_key, by_staff_' ~ loop.index
            ~ ".worker_key, case when events." ~ column ~ " is not null then '-1' end)"}) %}
        {%- endfor %}
        {{ star_replace('events', resolved, relation) }}
    from {{ relation }} as events
    {%- for column in columns %}
    left join {{ ref('dim_worker') }} as by_id_{{ loop.index }}
        on by_id_{{ loop.index }}.la_code = events.la_code
       and by_id_{{ loop.index }}.worker_key = events.{{ column }}
       and not by_id_{{ loop.index }}.is_unknown_member
    left join (
        select la_code, staff_id_key, min(worker_key) as worker_key
        from {{ ref('dim_worker') }}
        where staff_id_key is not null
        group by la_code, staff_id_key
    ) as by_staff_{{ loop.index }}
        on by_staff_{{ loop.index }}.la_code = events.la_code
       and by_staff_{{ loop.index }}.staff_id_key = events.{{ column }}
    {%- endfor %}
)
{%- endmacro %}

