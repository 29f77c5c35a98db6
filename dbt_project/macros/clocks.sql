{#- Shared clocks: when the next visit or meeting of a child falls due, computed once per child
    and clock date (int_*_clock models) and read by the measures (at month ends) and the
    exception lists (at the data date), so a worker's due date is the scorecard's. -#}

{#- A working-day clock of the children of int_child_plans_at_clock_dates with an open plan of
    `plan_type` (matching `condition`): the latest `events` row (la_code, child_key, event_key,
    event_date) on or before the clock date, counted only if on or after the earliest open plan's
    start (rules 14, 16); the clock starts at it, else at the plan start. The next one is due
    `later_parameter` working days after the latest, or `first_parameter` after the plan start
    when none counts (kpi_parameters of `kpi_id`). -#}
{% macro plan_working_day_clock(kpi_id, plan_type, condition, events, first_parameter, later_parameter) -%}
with allowed as (
    select
        {{ kpi_parameter(kpi_id, first_parameter) }}::int as first_working_days_allowed,
        {{ kpi_parameter(kpi_id, later_parameter) }}::int as later_working_days_allowed
),

children as (
    select
        la_code, clock_date, child_key,
        {{ plan_type }}_plan_key as plan_key,
        {{ plan_type }}_plan_start_date as plan_start_date
    from {{ ref('int_child_plans_at_clock_dates') }}
    where {{ condition }}
),

events as (
    {{ events }}
),

latest as (
    -- an as-of join: one look-up per child and date, not a join with every event
    select
        children.*,
        case when events.event_date >= children.plan_start_date then events.event_key end as latest_event_key,
        case when events.event_date >= children.plan_start_date then events.event_date end as latest_event_date
    from children
    {{ asof_left_join('children', 'children', 'events', 'events', ['la_code', 'child_key'],
                      'clock_date', 'event_date', tie_breaker='events.event_key') }}
),

started as (
    select
        latest.*,
        coalesce(latest.latest_event_date, latest.plan_start_date) as clock_start_date,
        case when latest.latest_event_date is null then allowed.first_working_days_allowed
             else allowed.later_working_days_allowed end as working_days_allowed
    from latest
    cross join allowed
)

select
    la_code,
    clock_date,
    child_key,
    plan_key,
    plan_start_date,
    latest_event_key,
    latest_event_date,
    clock_start_date,
    working_days_allowed,
    {{ working_days_between('clock_start_date', 'clock_date') }} as working_days,
    {{ working_days_after('clock_start_date', 'working_days_allowed') }} as due_date
from started
{%- endmacro %}
