-- early_help_open: "Open early help episodes at period end (ssd_early_help_episodes)." A count
-- of episodes (rule 26), open as rule 1: start <= month end and (end null or end > month end).
-- Team (rule 35): the child's allocated team at the month end, else the lead worker's team at
-- the date (their latest-starting ext_staff row in post), or the team of their last day in post
-- if they have left, else '-1'.
with open_episodes as (
    select *
    from {{ open_at_month_ends(ref('fct_early_help_episodes')) }} as episodes
),

lead_workers as (
    -- the team is the worker's, not the episode's: looked up once per worker and month end,
    -- not per open episode (an all-England warehouse has about 17 million open episode rows)
    select distinct la_code, snapshot_date, worker_key
    from open_episodes
),

lead_worker_teams as (
    -- each lead worker's team at the month end: the spell in post then, else their last spell
    -- before it (the team of their last day in post)
    select
        workers.la_code, workers.snapshot_date, workers.worker_key,
        staff.team_id, staff.service_area_id
    from lead_workers as workers
    join lateral (
        select
            case when spells.is_recorded_against_team then spells.team_id else '-1' end as team_id,
            coalesce(spells.service_area_id, '-1') as service_area_id
        from {{ ref('dim_staff') }} as spells
        where spells.la_code = workers.la_code
            and spells.worker_key = workers.worker_key
            and spells.census_date is null
            and spells.start_date <= workers.snapshot_date
        order by (spells.end_date is null or spells.end_date >= workers.snapshot_date) desc,
        -- in post: the latest-starting spell; left: the spell of the last day in post
        case when spells.end_date is null or spells.end_date >= workers.snapshot_date
                then spells.start_date
            else spells.end_date
        end desc,
        spells.staff_key
        limit 1
    ) as staff on true
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
        and lead_worker.snapshot_date = episodes.snapshot_date
        and lead_worker.worker_key = episodes.worker_key
