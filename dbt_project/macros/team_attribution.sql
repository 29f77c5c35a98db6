{#- Team attribution for flow measures (catalogue, shared conventions): the team recorded on the
    event, else the child's allocated team on the event date (the latest-starting allocation
    open then), else the unknown team '-1'. Adds team_id and service_area_id to the events;
    the events' own team column is named by `event_team`. -#}
{% macro attribute_to_team(events, event_team, event_date) -%}
(
    select
        events.* exclude ({{ event_team }}),
        events.{{ event_team }} as recorded_team_id,
        coalesce(recorded.team_id, allocated.team_id, '-1') as team_id,
        coalesce(recorded.service_area_id, allocated.service_area_id, '-1') as service_area_id
    from {{ events }} as events
    left join {{ ref('dim_team') }} as recorded
        on recorded.la_code = events.la_code
       and recorded.team_id = events.{{ event_team }}
    left join lateral (
        select a.team_id, a.service_area_id
        from {{ ref('fct_allocations') }} as a
        where a.la_code = events.la_code
          and a.child_key = events.child_key
          and a.start_date <= events.{{ event_date }}
          and (a.end_date is null or a.end_date > events.{{ event_date }})
        order by a.start_date desc, a.allocation_key
        limit 1
    ) as allocated on true
)
{%- endmacro %}
