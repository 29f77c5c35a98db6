-- One row per placement of a looked-after child, with what the visit rule needs: whether it
-- is long-term fostering (SSDA903 U1, U4) and when its first year ends (start + 12 calendar
-- months, exclusive, month-end clipped: rules 8 and 19; the 12 is a parameter).
with params as (
    select {{ kpi_parameter('cla_visits_timely', 'first_year_months') }}::int as first_year_months
)

select
    placements.la_code,
    placements.placement_key,
    placements.period_of_care_key,
    placements.child_key,
    placements.placement_start_date,
    placements.placement_end_date,
    placements.placement_type,
    coalesce(placements.placement_type in ('U1', 'U4'), false) as is_long_term_fostering,
    {{ add_months('placements.placement_start_date', 'params.first_year_months') }} as first_year_end_date,
    placements.change_reason,
    placements.placement_provider,
    placements.placement_distance,
    placements.source_format
from {{ ref('int_placements__sources') }} as placements
cross join params
