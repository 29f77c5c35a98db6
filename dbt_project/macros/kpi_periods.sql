{#- Aggregate a flow measure's detail rows (one row per unit counted, with reference_date,
    team_id, service_area_id, numerator, denominator) to every month, financial quarter and
    financial year containing the reference date, for the authority, service area and team.
    Quarters and years are summed from units, never averaged from months. -#}
{% macro aggregate_flow_units(detail_relation) -%}
with units as (
    select
        units.la_code, units.kpi_id, units.team_id, units.service_area_id,
        units.numerator, units.denominator,
        days.month_start, days.fin_quarter_start, days.fin_year_start
    from {{ detail_relation }} as units
    join {{ ref('dim_date') }} as days
        on days.calendar_date = units.reference_date
),

by_period as (
    select *, unnest([
        {'period_type': 'month', 'period_start': month_start},
        {'period_type': 'quarter', 'period_start': fin_quarter_start},
        {'period_type': 'year', 'period_start': fin_year_start}
    ]) as period
    from units
),

by_level as (
    select *, unnest([
        {'breakdown': 'la', 'breakdown_id': la_code},
        {'breakdown': 'service_area', 'breakdown_id': service_area_id},
        {'breakdown': 'team', 'breakdown_id': team_id}
    ]) as level
    from by_period
)

select
    la_code,
    kpi_id,
    period.period_type,
    period.period_start,
    level.breakdown,
    level.breakdown_id,
    sum(numerator) as numerator,
    sum(denominator) as denominator
from by_level
group by all
{%- endmacro %}
