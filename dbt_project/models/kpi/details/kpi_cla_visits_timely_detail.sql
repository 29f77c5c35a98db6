-- cla_visits_timely: children looked after at period end, judged against their current
-- placement (the latest-starting placement open at period end; none open = left out, rule 19).
-- Only visits with the child seen, on or after the placement start, count. No such visit yet:
-- met if period end - placement start <= 7 days. Otherwise the interval is 42 days while the
-- placement is in its first year (until start + 12 months, exclusive), then 91 days for
-- long-term fostering (U1, U4) or 42 days if not; met if period end - latest visit <= interval.
with judged as (
    -- the child's visit clock at the month end (int_cla_visit_clock, shared with the exception
    -- list); a child with no open placement has no clock and is left out
    select
        looked_after.la_code, looked_after.snapshot_date, looked_after.team_id,
        looked_after.service_area_id, looked_after.child_key, looked_after.worker_key,
        {{ star_except('clock', ['la_code', 'clock_date', 'child_key']) }}
    from {{ ref('kpi_cla_open_detail') }} as looked_after
    join {{ ref('int_cla_visit_clock') }} as clock
        on clock.la_code = looked_after.la_code
            and clock.clock_date = looked_after.snapshot_date
            and clock.child_key = looked_after.child_key
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
