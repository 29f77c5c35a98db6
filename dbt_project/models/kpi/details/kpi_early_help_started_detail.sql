-- early_help_started: early help episodes started in the period, a context count without a
-- target (counts episodes, as early_help_open: rule 26). Reference date = the episode start.
-- Team (rule 34, a flow): episodes record no team, so the child's allocated team on the start
-- date, else '-1'.
with episodes as (
    select *, null::{{ text_type() }} as episode_team_id
    from {{ ref('fct_early_help_episodes') }}
)

select
    la_code,
    'early_help_started' as kpi_id,
    start_date as reference_date,
    team_id,
    service_area_id,
    early_help_episode_key,
    child_key,
    worker_key,
    start_date,
    end_date,
    null::boolean as is_met,
    'started ' || {{ format_date('start_date', '%Y-%m-%d') }} as reason,
    1 as numerator,
    null::double as denominator
from {{ attribute_to_team('episodes', 'episode_team_id', 'start_date') }}
where start_date is not null
