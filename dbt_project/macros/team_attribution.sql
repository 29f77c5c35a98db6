{#- Team attribution for flow measures (catalogue, shared conventions): the team recorded on the
    event, else the child's allocated team on the event date (the latest-starting allocation
    open then), else the unknown team '-1'. Adds team_id and service_area_id to the events;
    the events' own team column is named by `event_team`. -#}
{% macro attribute_to_team(events, event_team, event_date) -%}
(
    select
        {{ star_except('events', [event_team]) }},
        events.{{ event_team }} as recorded_team_id,
        case when recorded.team_id is not null then {{ team_level('recorded') }}
             else coalesce(allocated.team_id, '-1') end as team_id,
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
        order by {{ allocation_precedence('a') }}
        limit 1
    ) as allocated on true
)
{%- endmacro %}


{#- Rule 36: of the allocations open on a date, the one that started latest wins; ties go to the
    higher source allocation id (its rank: ingestion keeps the order, not the id). An ORDER BY
    list over allocation rows `alias` (fct_allocations or int_allocations_open_at_month_end);
    the first row wins. The key last only keeps the choice deterministic for rows without a rank
    (loaded before ingestion kept it, until the authority's next load). -#}
{% macro allocation_precedence(alias) -%}
{{ alias }}.start_date desc, {{ alias }}.allocation_id_rank desc nulls last, {{ alias }}.allocation_key
{%- endmacro %}


{#- The team-level id of a department row `alias` of dim_team (left-joined): the team when it
    is a team (a leaf, rule 33); '-1' for a service area with teams (its units count in that
    service area and, at team level, in team -1: rule 37) and for an id not in dim_team. -#}
{% macro team_level(alias) -%}
case when {{ alias }}.is_team then {{ alias }}.team_id else '-1' end
{%- endmacro %}


{#- Rule 35, snapshot measures: the team and service area of a fct_child_status_month_end row
    `status`: the allocated team when the child has an open allocation, else the team recorded
    on the first of `records` that has one ('referral', 'cin_plan': the latest-starting open
    record of that kind), else '-1'. -#}
{% macro snapshot_team(status, records=[]) -%}
case when {{ status }}.is_allocated then {{ status }}.team_id
     {%- for record in records %}
     when {{ status }}.{{ record }}_team_id is not null then {{ status }}.{{ record }}_team_id
     {%- endfor %}
     else '-1' end as team_id,
case when {{ status }}.is_allocated then {{ status }}.service_area_id
     {%- for record in records %}
     when {{ status }}.{{ record }}_team_id is not null then {{ status }}.{{ record }}_service_area_id
     {%- endfor %}
     else '-1' end as service_area_id
{%- endmacro %}
