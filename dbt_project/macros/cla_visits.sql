{#- Statutory visits to looked-after children (cla_visits_timely, rule 19), shared by the
    measure and the looked-after exception list. -#}

{#- The measure's timescales, optionally cast (to add them to dates). -#}
{% macro cla_visit_parameters(cast_to=none) -%}
    {%- set suffix = '::' ~ cast_to if cast_to else '' -%}
    {{ kpi_parameter('cla_visits_timely', 'first_visit_days') }}{{ suffix }} as first_visit_days,
    {{ kpi_parameter('cla_visits_timely', 'interval_days') }}{{ suffix }} as interval_days,
    {{ kpi_parameter('cla_visits_timely', 'long_term_interval_days') }}{{ suffix }} as long_term_interval_days
{%- endmacro %}

{#- Each child of `children` (la_code, child_key and the date judged, `on_date`) with their
    current placement: the latest-starting placement open on that date (none open = no row),
    and latest_visit_date: the latest visit with the child seen on or before that date, counted
    only if on or after the placement start. -#}
{% macro cla_current_placement_visits(children, on_date) -%}
with open_placements as (
    select
        children.*,
        placements.placement_key,
        placements.placement_type,
        placements.placement_start_date,
        placements.first_year_end_date,
        placements.is_long_term_fostering
    from {{ children }} as children
    join {{ ref('fct_placements') }} as placements
        on placements.la_code = children.la_code
       and placements.child_key = children.child_key
       and placements.placement_start_date <= children.{{ on_date }}
       and (placements.placement_end_date is null or placements.placement_end_date > children.{{ on_date }})
),

chosen_placements as (
    -- the latest-starting open placement of each child and date
    select la_code, {{ on_date }}, child_key, placement_key
    from (
        select
            la_code, {{ on_date }}, child_key, placement_key,
            row_number() over (
                partition by la_code, {{ on_date }}, child_key
                order by placement_start_date desc, placement_key) as precedence
        from open_placements
    ) as ranked
    where precedence = 1
),

current_placements as (
    select open_placements.*
    from open_placements
    join chosen_placements
        on chosen_placements.la_code = open_placements.la_code
       and chosen_placements.{{ on_date }} = open_placements.{{ on_date }}
       and chosen_placements.child_key = open_placements.child_key
       and chosen_placements.placement_key = open_placements.placement_key
),

seen_visits as (
    select la_code, child_key, visit_date
    from {{ ref('fct_visits') }}
    where visit_type = 'cla' and is_child_seen
)

select
    current_placements.*,
    case when seen_visits.visit_date >= current_placements.placement_start_date
         then seen_visits.visit_date end as latest_visit_date
from current_placements
{{ asof_left_join('current_placements', 'current_placements', 'seen_visits', 'seen_visits',
                  ['la_code', 'child_key'], on_date, 'visit_date') }}
{%- endmacro %}

{#- Which visit timescale applies to a row of cla_current_placement_visits (with the
    cla_visit_parameters columns): no visit yet since the placement started, first visit
    within first_visit_days; long-term fostering (U1, U4) after the placement's first year,
    long_term_interval_days; otherwise interval_days. `on_date`: the day judged;
    `long_term_on`: the day on which long-term fostering is judged past its first year
    (default `on_date`). cla_visit_rule names the case, cla_visit_days_allowed gives the days. -#}
{% macro cla_visit_rule(on_date, long_term_on=none) -%}
    case
        when latest_visit_date is null then 'no visit yet since the placement started'
        when is_long_term_fostering and {{ long_term_on or on_date }} >= first_year_end_date
            then 'long-term fostering after the first year'
        when {{ on_date }} < first_year_end_date then 'placement in its first year'
        else 'placement after its first year, not long-term fostering'
    end
{%- endmacro %}

{% macro cla_visit_days_allowed(long_term_on) -%}
    case
        when latest_visit_date is null then first_visit_days
        when is_long_term_fostering and {{ long_term_on }} >= first_year_end_date then long_term_interval_days
        else interval_days
    end
{%- endmacro %}
