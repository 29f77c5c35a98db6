-- cla_visits_timely: children looked after at period end, judged against their current
-- placement (the latest-starting placement open at period end; none open = left out, rule 19).
-- Only visits with the child seen, on or after the placement start, count. No such visit yet:
-- met if period end - placement start <= 7 days. Otherwise the interval is 42 days while the
-- placement is in its first year (until start + 12 months, exclusive), then 91 days for
-- long-term fostering (U1, U4) or 42 days if not; met if period end - latest visit <= interval.
with params as (
    select
        {{ kpi_parameter('cla_visits_timely', 'first_visit_days') }} as first_visit_days,
        {{ kpi_parameter('cla_visits_timely', 'interval_days') }} as interval_days,
        {{ kpi_parameter('cla_visits_timely', 'long_term_interval_days') }} as long_term_interval_days
),

current_placements as (
    select
        looked_after.la_code,
        looked_after.snapshot_date,
        looked_after.team_id,
        looked_after.service_area_id,
        looked_after.child_key,
        looked_after.worker_key,
        placements.placement_key,
        placements.placement_type,
        placements.placement_start_date,
        placements.first_year_end_date,
        placements.is_long_term_fostering
    from {{ ref('kpi_cla_open_detail') }} as looked_after
    join {{ ref('fct_placements') }} as placements
        on placements.la_code = looked_after.la_code
       and placements.child_key = looked_after.child_key
       and placements.placement_start_date <= looked_after.snapshot_date
       and (placements.placement_end_date is null or placements.placement_end_date > looked_after.snapshot_date)
    qualify row_number() over (
        partition by looked_after.la_code, looked_after.snapshot_date, looked_after.child_key
        order by placements.placement_start_date desc, placements.placement_key) = 1
),

seen_visits as (
    select la_code, child_key, visit_date
    from {{ ref('fct_cla_visits') }}
    where is_child_seen
),

latest_visits as (
    -- the latest seen visit on or before the month end; it counts only if on or after the
    -- current placement's start
    select
        current_placements.*,
        case when seen_visits.visit_date >= current_placements.placement_start_date
             then seen_visits.visit_date end as latest_visit_date
    from current_placements
    asof left join seen_visits
        on seen_visits.la_code = current_placements.la_code
       and seen_visits.child_key = current_placements.child_key
       and seen_visits.visit_date <= current_placements.snapshot_date
),

judged as (
    select
        latest_visits.*,
        case
            when latest_visit_date is null then 'no visit yet since the placement started'
            when snapshot_date < first_year_end_date then 'placement in its first year'
            when is_long_term_fostering then 'long-term fostering after the first year'
            else 'placement after its first year, not long-term fostering'
        end as visit_rule,
        case
            when latest_visit_date is null then params.first_visit_days
            when snapshot_date < first_year_end_date then params.interval_days
            when is_long_term_fostering then params.long_term_interval_days
            else params.interval_days
        end as days_allowed,
        snapshot_date - coalesce(latest_visit_date, placement_start_date) as days_since
    from latest_visits
    cross join params
)

select
    la_code,
    'cla_visits_timely' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    worker_key,
    placement_key,
    placement_type,
    placement_start_date,
    first_year_end_date,
    is_long_term_fostering,
    latest_visit_date,
    visit_rule,
    days_since,
    days_allowed,
    days_since <= days_allowed as is_met,
    case when latest_visit_date is null
         then 'not yet visited; placement started ' || days_since || ' days before period end'
         else 'seen ' || days_since || ' days before period end (' || visit_rule || ')'
    end || case when days_since > days_allowed then ', over the ' else ', within the ' end
        || days_allowed::int || ' days allowed' as reason,
    (days_since <= days_allowed)::int as numerator,
    1 as denominator
from judged
