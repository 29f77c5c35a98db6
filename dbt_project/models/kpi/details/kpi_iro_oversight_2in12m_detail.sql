-- iro_oversight_2in12m: children looked after at period end whose current period of care
-- began on or before period end minus 12 months (rule 23): met if they have at least two
-- ext_iro_activity OVERSIGHT records dated in (period end - 365 days, period end].
with params as (
    select
        {{ kpi_parameter('iro_oversight_2in12m', 'months_in_care') }}::int as months_in_care,
        {{ kpi_parameter('iro_oversight_2in12m', 'days_lookback') }}::int as days_lookback,
        {{ kpi_parameter('iro_oversight_2in12m', 'oversights_required') }} as oversights_required
),

in_care_a_year as (
    select looked_after.*, params.days_lookback, params.oversights_required
    from {{ ref('kpi_cla_open_detail') }} as looked_after
    cross join params
    where looked_after.period_of_care_start_date
        <= {{ add_months('looked_after.snapshot_date', '-params.months_in_care') }}
),

oversights as (
    select la_code, child_key, activity_date
    from {{ ref('fct_iro_activity') }}
    where activity_type = 'OVERSIGHT'
),

counted as (
    select
        in_care_a_year.la_code,
        in_care_a_year.snapshot_date,
        in_care_a_year.team_id,
        in_care_a_year.service_area_id,
        in_care_a_year.child_key,
        in_care_a_year.worker_key,
        in_care_a_year.period_of_care_key,
        in_care_a_year.period_of_care_start_date,
        in_care_a_year.days_lookback,
        in_care_a_year.oversights_required,
        count(oversights.activity_date) as oversights_in_lookback,
        max(oversights.activity_date) as latest_oversight_date
    from in_care_a_year
    left join oversights
        on oversights.la_code = in_care_a_year.la_code
            and oversights.child_key = in_care_a_year.child_key
            and oversights.activity_date > in_care_a_year.snapshot_date - in_care_a_year.days_lookback
            and oversights.activity_date <= in_care_a_year.snapshot_date
    group by all
)

select
    la_code,
    'iro_oversight_2in12m' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    worker_key,
    period_of_care_key,
    period_of_care_start_date,
    oversights_in_lookback,
    latest_oversight_date,
    oversights_in_lookback >= oversights_required as is_met,
    oversights_in_lookback || ' IRO oversight' || case when oversights_in_lookback = 1 then '' else 's' end
    || ' in the ' || days_lookback || ' days to period end'
    || case when oversights_in_lookback < oversights_required
            then ', fewer than the ' || oversights_required::int || ' required'
        else ''
    end as reason,
    (oversights_in_lookback >= oversights_required)::int as numerator,
    1 as denominator
from counted
