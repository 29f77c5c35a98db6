{#- Aggregate a flow measure's detail rows (one row per unit counted, with reference_date,
    team_id, service_area_id, numerator, denominator) to every month, financial quarter and
    financial year containing the reference date, for the authority, service area and team.
    Quarters and years are summed from units, never averaged from months. With counted_from,
    the rows also carry counted_from_date and count only in published periods ending on or
    after it (rule 9). -#}
{% macro aggregate_flow_units(detail_relation, counted_from=false) -%}
with units as (
    select
        units.la_code, units.kpi_id, units.team_id, units.service_area_id,
        units.numerator, units.denominator,
        {%- if counted_from %} units.counted_from_date,{% endif %}
        days.month_start, days.fin_quarter_start, days.fin_year_start
    from {{ detail_relation }} as units
    join {{ ref('dim_date') }} as days
        on days.calendar_date = units.reference_date
),

by_period as (
    select *, {{ unnest_structs([
        {'period_type': "'month'", 'period_start': 'month_start'},
        {'period_type': "'quarter'", 'period_start': 'fin_quarter_start'},
        {'period_type': "'year'", 'period_start': 'fin_year_start'}
    ]) }} as period
    from units
),
{%- if counted_from %}

counted as (
    -- rule 9: a unit counts only in the published periods ending on or after its
    -- counted_from_date (a contact still undecided counts once it is overdue)
    select by_period.*
    from by_period
    join {{ ref('dim_period') }} as periods
        on periods.la_code = by_period.la_code
       and periods.period_type = by_period.period.period_type
       and periods.period_start = by_period.period.period_start
    where by_period.counted_from_date <= periods.period_end
),
{%- endif %}

by_period_type as (
    select
        la_code, kpi_id, team_id, service_area_id, numerator, denominator,
        period.period_type, period.period_start
    from {{ 'counted' if counted_from else 'by_period' }}
)

{{ aggregate_by_level('by_period_type', 'sum(numerator)', 'true') }}
{%- endmacro %}

{#- Aggregate a snapshot measure's detail rows (one row per unit and snapshot_date, a month
    end) to every period ending on that date: the month, and the financial quarter and year
    when the month closes them. Same output columns as aggregate_flow_units (whose
    is_numerator_additive is true: a level's numerator is the sum of its units'). With
    distinct_numerator (a column), a level's numerator counts the distinct values of that column
    among its rows with a positive numerator instead of summing (rule 36). -#}
{% macro aggregate_snapshot_units(detail_relation, distinct_numerator=none) -%}
with units as (
    select units.*, periods.period_type, periods.period_start
    from {{ detail_relation }} as units
    join {{ ref('dim_period') }} as periods
        on periods.la_code = units.la_code
       and periods.period_end = units.snapshot_date
)

{{ aggregate_by_level(
    'units',
    'count(distinct case when numerator > 0 then ' ~ distinct_numerator ~ ' end)' if distinct_numerator
        else 'sum(numerator)',
    'false' if distinct_numerator else 'true'
) }}
{%- endmacro %}

{#- The rows of `relation` (one per unit and period: la_code, kpi_id, period_type, period_start,
    team_id, service_area_id, numerator, denominator) aggregated for the authority, each service
    area and each team: one grouping set per level, a null team or service area being a group
    of its own. `numerator` aggregates the numerator; `additive` says whether the team and
    service-area rows add up to the authority's (quality test assert_team_rows_add_up), which
    distinct counts do not: there no level exceeds the authority. -#}
{% macro aggregate_by_level(relation, numerator, additive) -%}
select
    la_code,
    kpi_id,
    period_type,
    period_start,
    case
        when grouping(team_id) = 0 then 'team'
        when grouping(service_area_id) = 0 then 'service_area'
        else 'la'
    end as breakdown,
    case
        when grouping(team_id) = 0 then team_id
        when grouping(service_area_id) = 0 then service_area_id
        else la_code
    end as breakdown_id,
    {{ numerator }} as numerator,
    sum(denominator) as denominator,
    {{ additive }} as is_numerator_additive
from {{ relation }}
group by grouping sets (
    (la_code, kpi_id, period_type, period_start),
    (la_code, kpi_id, period_type, period_start, service_area_id),
    (la_code, kpi_id, period_type, period_start, team_id)
)
{%- endmacro %}

{#- An empty relation with the aggregates' columns (while dbt parses, before the catalogue is read). -#}
{% macro no_kpi_results() -%}
select
    null::{{ text_type() }} as la_code, null::{{ text_type() }} as kpi_id, null::{{ text_type() }} as period_type,
    null::date as period_start, null::{{ text_type() }} as breakdown, null::{{ text_type() }} as breakdown_id,
    null::double as numerator, null::double as denominator, null::boolean as is_numerator_additive
where false
{%- endmacro %}
