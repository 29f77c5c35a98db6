-- The statutory visit clock of every looked-after child at each clock date (cla_visits_timely,
-- rule 19; each published month end and the data date): the current placement (none open =
-- no row), the latest visit with the child seen since it started, the timescale that applies
-- on the date (visit_rule, days_allowed: what the measure judges) and the day the next visit
-- falls due (due_date). A long-term fostering placement moves to the long interval at the end
-- of its first year, so a visit whose short interval would run past that day is next due on
-- the long interval (next_visit_rule, next_days_allowed); on the clock date itself the child
-- is within timescale exactly when clock_date <= due_date. Read by kpi_cla_visits_timely_detail
-- (month ends) and kpi_exceptions_looked_after (data date).
{%- set next_day_past_short_interval = 'greatest(clock_date, latest_visit_date + interval_days::int + 1)' %}
with params as (
    -- as the seed holds them (the measure publishes days_allowed so); whole days for dates
    select {{ cla_visit_parameters() }}
),

looked_after as (
    select distinct la_code, clock_date, child_key
    from {{ open_at_clock_dates(ref('fct_cla_episodes'), 'episode_start_date', 'episode_ceased_date') }} as episodes
),

latest_visits as (
    {{ cla_current_placement_visits('looked_after', 'clock_date') }}
),

judged as (
    select
        latest_visits.*,
        coalesce(latest_visit_date, placement_start_date) as clock_start_date,
        {{ cla_visit_rule('clock_date') }} as visit_rule,
        {{ cla_visit_days_allowed('clock_date') }} as days_allowed,
        {{ cla_visit_rule('clock_date', long_term_on=next_day_past_short_interval) }} as next_visit_rule,
        {{ cla_visit_days_allowed(next_day_past_short_interval) }} as next_days_allowed
    from latest_visits
    cross join params
)

select
    la_code,
    clock_date,
    child_key,
    placement_key,
    placement_type,
    placement_start_date,
    first_year_end_date,
    is_long_term_fostering,
    latest_visit_date,
    clock_start_date,
    visit_rule,
    days_allowed,
    {{ days_between('clock_start_date', 'clock_date') }} as days_since,
    next_visit_rule,
    next_days_allowed::int as next_days_allowed,
    clock_start_date + next_days_allowed::int as due_date
from judged
