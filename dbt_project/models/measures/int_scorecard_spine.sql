-- Every (authority, measure, period, level) that the scorecard publishes, whether or not any
-- unit was counted in it, so that periods never go missing. A measure that some authority
-- cannot have (a table it needs was never delivered) is published too, as not available,
-- even when no authority counted a unit of it.
with implemented as (
    select kpi_id from {{ ref('int_kpi_results') }}
    union
    select kpi_id from {{ ref('kpi_measure_availability') }}
    where not is_available
),

measures as (
    select authority.la_code, implemented.kpi_id
    from {{ ref('dim_authority') }} as authority
    cross join implemented
),

levels as (
    select distinct la_code, 'la' as breakdown, la_code as breakdown_id, 'Whole authority' as breakdown_name
    from {{ ref('dim_authority') }}
    union all
    select distinct la_code, 'service_area', service_area_id, service_area_name
    from {{ ref('dim_team') }}
    union all
    -- teams are the leaves of the department tree (a service area without teams is its own)
    select la_code, 'team', team_id, team_name
    from {{ ref('dim_team') }}
    where is_team
)

select
    measures.la_code,
    measures.kpi_id,
    periods.period_type,
    periods.period_start,
    periods.period_end,
    periods.period_label,
    periods.months_in_period,
    levels.breakdown,
    levels.breakdown_id,
    levels.breakdown_name
from measures
join {{ ref('dim_period') }} as periods on periods.la_code = measures.la_code
join levels on levels.la_code = measures.la_code
