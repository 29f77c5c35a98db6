-- cla_visits_timely: children looked after at period end, judged against their current
-- placement (the latest-starting placement open at period end; none open = left out, rule 19).
-- Only visits with the child seen, on or after the placement start, count. No such visit yet:
-- met if period end - placement start <= 7 days. Otherwise the interval is 42 days while the
-- placement is in its first year (until start + 12 months, exclusive), then 91 days for
-- long-term fostering (U1, U4) or 42 days if not; met if period end - latest visit <= interval.
with params as (
    select {{ cla_visit_parameters() }}
),

looked_after as (
    select la_code, snapshot_date, team_id, service_area_id, child_key, worker_key
    from {{ ref('kpi_cla_open_detail') }}
),

latest_visits as (
    {{ cla_current_placement_visits('looked_after', 'snapshot_date') }}
),

judged as (
    select
        latest_visits.*,
        {{ cla_visit_rule('snapshot_date') }} as visit_rule,
        {{ cla_visit_days_allowed('snapshot_date') }} as days_allowed,
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
