-- Worker-child allocation intervals (open at d: start <= d and (end null or end > d)).
select
    allocations.la_code,
    allocations.allocation_key,
    allocations.allocation_id_rank,
    allocations.child_key,
    allocations.worker_key,
    {{ team_level('team') }} as team_id,
    coalesce(team.service_area_id, '-1') as service_area_id,
    allocations.start_date,
    allocations.end_date,
    allocations.referral_key
from {{ resolve_workers(ref('stg_ssd__involvements')) }} as allocations
left join {{ ref('dim_team') }} as team
    on team.la_code = allocations.la_code
        and team.team_id = allocations.team_id
