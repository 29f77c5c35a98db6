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

lead_worker_spells as (
    -- each lead worker's staff spells begun by the month end, the one that gives the team first:
    -- the spell in post then (the latest-starting), else the spell of their last day in post. A
    -- window, not a lateral join with limit 1: on an all-England warehouse the lateral join ran
    -- out of DuckDB's 6 GB, where this runs in 1.5 GB.
    select
        workers.la_code,
        workers.snapshot_date,
        workers.worker_key,
        case when spells.is_recorded_against_team then spells.team_id else '-1' end as team_id,
        coalesce(spells.service_area_id, '-1') as service_area_id,
        row_number() over (
            partition by workers.la_code, workers.snapshot_date, workers.worker_key
            order by
                (spells.end_date is null or spells.end_date >= workers.snapshot_date) desc,
                case when spells.end_date is null or spells.end_date >= workers.snapshot_date
                        then spells.start_date
                    else spells.end_date
                end desc,
                spells.staff_key
        ) as precedence
    from lead_workers as workers
    inner join {{ ref('dim_staff') }} as spells
        on spells.la_code = workers.la_code
            and spells.worker_key = workers.worker_key
            and spells.census_date is null
            and spells.start_date <= workers.snapshot_date
),

lead_worker_teams as (
    select la_code, snapshot_date, worker_key, team_id, service_area_id
    from lead_worker_spells
    where precedence = 1
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
