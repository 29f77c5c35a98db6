-- placement_stability_3plus: children looked after at period end with 3 or more placements
-- (ssd_cla_placement, all of the child's placements) overlapping the 365 days ending on period
-- end: start <= period end, and end null or later than period end - 365 days. A lower value is
-- better; is_met marks the children counted in the numerator (3 or more placements).
with params as (
    select
        {{ kpi_parameter('placement_stability_3plus', 'days_lookback') }}::int as days_lookback,
        {{ kpi_parameter('placement_stability_3plus', 'placements_counted') }} as placements_counted
),

counted as (
    select
        looked_after.la_code,
        looked_after.snapshot_date,
        looked_after.team_id,
        looked_after.service_area_id,
        looked_after.child_key,
        looked_after.worker_key,
        params.days_lookback,
        params.placements_counted,
        count(placements.placement_key) as placements_in_lookback,
        min(placements.placement_start_date) as earliest_placement_start_date
    from {{ ref('kpi_cla_open_detail') }} as looked_after
    cross join params
    left join {{ ref('fct_placements') }} as placements
        on placements.la_code = looked_after.la_code
            and placements.child_key = looked_after.child_key
            and placements.placement_start_date <= looked_after.snapshot_date
            and (
                placements.placement_end_date is null
                or placements.placement_end_date > looked_after.snapshot_date - params.days_lookback
            )
    group by all
)

select
    la_code,
    'placement_stability_3plus' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    worker_key,
    placements_in_lookback,
    earliest_placement_start_date,
    placements_in_lookback >= placements_counted as is_met,
    placements_in_lookback || ' placement' || case when placements_in_lookback = 1 then '' else 's' end
    || ' in the ' || days_lookback || ' days to period end'
    || case when placements_in_lookback >= placements_counted
            then ' (' || placements_counted::int || ' or more: counted)'
        else ''
    end as reason,
    (placements_in_lookback >= placements_counted)::int as numerator,
    1 as denominator
from counted
