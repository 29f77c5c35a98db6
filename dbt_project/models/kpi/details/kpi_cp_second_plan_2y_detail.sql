-- cp_second_plan_2y: plans starting in period where the child had an earlier plan that ended
-- within the 730 days before this start / plans starting in period. Rule 13: an earlier plan is
-- an earlier-starting plan of the child that has ended, 0 <= this start - its end <= 730 days
-- (kpi_parameters: days_lookback). is_met = counted in the numerator (a repeat plan; lower is
-- better). Team: the child's allocated team on the plan start date.
with lookback as (
    select {{ kpi_parameter('cp_second_plan_2y', 'days_lookback') }}::int as days_lookback
),

plans as (
    select *, null::{{ text_type() }} as event_team_id
    from {{ ref('fct_cp_plans') }}
),

attributed as (
    select * from {{ attribute_to_team('plans', 'event_team_id', 'plan_start_date') }}
),

judged as (
    select
        attributed.*,
        lookback.days_lookback,
        coalesce(attributed.days_since_previous_plan_end <= lookback.days_lookback, false) as is_repeat_within_lookback
    from attributed
    cross join lookback
)

select
    la_code,
    'cp_second_plan_2y' as kpi_id,
    plan_start_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    cp_plan_key,
    plan_start_date,
    plan_number,
    earlier_plan_count,
    previous_plan_key,
    previous_plan_end_date,
    days_since_previous_plan_end as interval_days,
    days_lookback,
    source_format,
    is_repeat_within_lookback as is_met,
    case when previous_plan_end_date is null and earlier_plan_count = 0 then 'first CP plan'
        when previous_plan_end_date is null then 'earlier plan not ended before this start'
        when is_repeat_within_lookback
            then 'earlier plan ended ' || days_since_previous_plan_end || ' days before, within ' || days_lookback
        else 'earlier plan ended ' || days_since_previous_plan_end || ' days before, over ' || days_lookback
    end as reason,
    is_repeat_within_lookback::int as numerator,
    1 as denominator
from judged
