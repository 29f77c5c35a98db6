-- early_help_open: "Open early help episodes at period end (ssd_early_help_episodes)." A count
-- of episodes (rule 26), open as rule 1: start <= month end and (end null or end > month end).
-- Team: the child's allocated team at the month end, else the lead worker's team (ext_staff
-- row in post on the date), else '-1'.
with open_episodes as (
    select *
    from {{ open_at_month_ends(ref('fct_early_help_episodes')) }} as episodes
),

lead_worker_teams as (
    select la_code, month_end, worker_key, team_id, service_area_id
    from {{ ref('fct_staff_months') }}
    where is_in_post_at_month_end
    qualify row_number() over (partition by la_code, month_end, worker_key order by start_date desc, staff_key) = 1
)

select
    episodes.la_code,
    'early_help_open' as kpi_id,
    episodes.snapshot_date,
    coalesce(allocated.team_id, lead_worker.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, lead_worker.service_area_id, '-1') as service_area_id,
    episodes.early_help_episode_key,
    episodes.child_key,
    episodes.worker_key,
    episodes.start_date,
    episodes.end_date,
    null::boolean as is_met,
    'open since ' || episodes.start_date as reason,
    1 as numerator,
    null::double as denominator
from open_episodes as episodes
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = episodes.la_code
   and allocated.snapshot_date = episodes.snapshot_date
   and allocated.child_key = episodes.child_key
left join lead_worker_teams as lead_worker
    on lead_worker.la_code = episodes.la_code
   and lead_worker.month_end = episodes.snapshot_date
   and lead_worker.worker_key = episodes.worker_key
