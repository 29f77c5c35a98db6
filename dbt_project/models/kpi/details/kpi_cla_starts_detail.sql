-- cla_starts: periods of care (clae_cla_id) starting in the period (rule 18: start = the
-- earliest episode start). Team: the child's allocated team on the start date.
with periods as (
    select *, null::{{ text_type() }} as period_team_id
    from {{ ref('fct_periods_of_care') }}
)

select
    la_code,
    'cla_starts' as kpi_id,
    start_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    period_of_care_key,
    start_date,
    end_date,
    episode_count,
    source_format,
    null::boolean as is_met,
    'period of care started ' || {{ format_date('start_date', '%Y-%m-%d') }} || ' (' || episode_count
    || case when episode_count = 1 then ' episode)' else ' episodes)' end as reason,
    1 as numerator,
    null::int as denominator
from {{ attribute_to_team('periods', 'period_team_id', 'start_date') }}
