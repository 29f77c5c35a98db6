-- The published scorecard: every implemented measure for every complete month, financial
-- quarter and financial year, for the authority, each service area and each team, with the
-- target in force on the period's last day, RAG (Blue = met three periods running) and
-- direction of travel against the previous period of the same type. A measure whose source
-- tables the authority never delivered (kpi_measure_availability) keeps its rows, with no
-- numerator, denominator, value, RAG or direction, and says why.
with results as (
    select
        spine.*, catalogue.kpi_name, catalogue.family, catalogue.unit, catalogue.polarity, catalogue.kind,
        catalogue.amber_tolerance,
        availability.is_available,
        availability.not_available_reason,
        case when availability.is_available then coalesce(results.numerator, 0) end as numerator,
        case when not availability.is_available then null
            when catalogue.unit = 'count' then null
            -- rates per 10,000 are of the authority's 0-17 population (financial year of
            -- the period end); a team or service area has no population of its own
            when catalogue.unit = 'rate_10k'
                then
                    case when spine.breakdown = 'la' then population.children_0_17 end
            else coalesce(results.denominator, 0)
        end as denominator
    from {{ ref('int_scorecard_spine') }} as spine
    join {{ ref('kpi_catalogue') }} as catalogue on catalogue.kpi_id = spine.kpi_id
    -- one row per authority and catalogue measure
    join {{ ref('kpi_measure_availability') }} as availability
        on availability.la_code = spine.la_code
            and availability.kpi_id = spine.kpi_id
    left join {{ ref('dim_population') }} as population
        on population.la_code = spine.la_code
            and population.fin_year_start = make_date(year(spine.period_end) - (month(spine.period_end) < 4)::int, 4, 1)
    left join {{ ref('int_kpi_results') }} as results
        on results.la_code = spine.la_code
            and results.kpi_id = spine.kpi_id
            and results.period_type = spine.period_type
            and results.period_start = spine.period_start
            and results.breakdown = spine.breakdown
            and results.breakdown_id = spine.breakdown_id
),

target_periods as (
    -- an authority's own target wins over the default; the latest in force on period end
    -- (ranked once per authority, measure and period end, not per result row)
    select la_code, kpi_id, period_end, target, range_low, range_high
    from (
        select
            periods.la_code,
            periods.kpi_id,
            periods.period_end,
            t.target,
            t.range_low,
            t.range_high,
            row_number() over (
                partition by periods.la_code, periods.kpi_id, periods.period_end
                order by (t.la_code is not null) desc, t.effective_from desc
            ) as precedence
        from (select distinct la_code, kpi_id, period_end from results) as periods
        join {{ ref('kpi_targets') }} as t
            on t.kpi_id = periods.kpi_id
                and (t.la_code is null or t.la_code = periods.la_code)
                and t.effective_from <= periods.period_end
    ) as ranked
    where precedence = 1
),

targeted as (
    select results.*, targets.target, targets.range_low, targets.range_high
    from results
    left join target_periods as targets
        on targets.la_code = results.la_code
            and targets.kpi_id = results.kpi_id
            and targets.period_end = results.period_end
),

valued as (
    select
        *,
        {{ kpi_value('unit', 'kind', 'numerator', 'denominator', 'months_in_period') }} as value
    from targeted
),

rated as (
    select
        *,
        {{ kpi_rag('value', 'polarity', 'target', 'range_low', 'range_high', 'coalesce(amber_tolerance, 0)') }}
            as rag_colour
    from valued
),

-- the previous period's value and the run of Green periods: one pass over each series (both
-- windows share its partition and order)
blued as (
    select
        *,
        lag(value) over (
            partition by la_code, kpi_id, period_type, breakdown, breakdown_id order by period_start
        ) as previous_value,
        count(case when rag_colour = 'Green' then 1 end) over (
            partition by la_code, kpi_id, period_type, breakdown, breakdown_id order by period_start
            rows between {{ var('blue_consecutive_periods') - 1 }} preceding and current row
        ) as green_run
    from rated
)

select
    la_code,
    blued.kpi_id,
    kpi_name,
    period_type,
    period_start,
    period_end,
    period_label,
    breakdown,
    breakdown_id,
    breakdown_name,
    numerator::double as numerator,
    denominator::double as denominator,
    value::double as value,
    unit,
    target::double as target,
    range_low::double as target_low,
    range_high::double as target_high,
    case when green_run = {{ var('blue_consecutive_periods') }} then 'Blue' else rag_colour end as rag,
    {{ kpi_direction('value', 'previous_value', 'unit', 'polarity', 'range_low', 'range_high') }} as direction,
    -- England beside the authority (authority level only: teams are not comparable)
    case when blued.breakdown = 'la' then england.england_value end::double as england_value,
    case when blued.breakdown = 'la' then england.as_of end as england_as_of,
    family,
    is_available,
    not_available_reason
from blued
left join {{ ref('england_comparators') }} as england on england.kpi_id = blued.kpi_id
order by la_code, blued.kpi_id, period_type, period_start, breakdown, breakdown_id
