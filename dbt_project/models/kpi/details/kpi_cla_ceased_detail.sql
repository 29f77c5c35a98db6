-- cla_ceased: periods of care (clae_cla_id) ending in the period (rule 18: they end at the
-- latest ceased date, only once no episode is open). Team: the child's allocated team on the
-- last day looked after (the day before ceasing; allocations often close on the ceased date).
with periods as (
    select *, null::{{ text_type() }} as period_team_id, greatest(start_date, end_date - 1) as last_day_looked_after
    from {{ ref('fct_periods_of_care') }}
    where end_date is not null
)

select
    la_code,
    'cla_ceased' as kpi_id,
    end_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    period_of_care_key,
    start_date,
    end_date,
    ceased_reason,
    episode_count,
    source_format,
    null::boolean as is_met,
    'period of care ' || {{ format_date('start_date', '%Y-%m-%d') }}
    || ' to ' || {{ format_date('end_date', '%Y-%m-%d') }}
    || ' ceased' || coalesce(' (reason ' || ceased_reason || ')', '') as reason,
    1 as numerator,
    null::int as denominator
from {{ attribute_to_team('periods', 'period_team_id', 'last_day_looked_after') }}
