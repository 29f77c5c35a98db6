-- One row per team diagnostic grade (team, visit, quality domain), with the team's service
-- area and whether the row belongs to the team's latest visit.
with diagnostics as (
    select
        diagnostics.*,
        coalesce(team.team_id, '-1') as known_team_id,
        coalesce(team.service_area_id, '-1') as service_area_id
    from {{ ref('stg_ext__team_diagnostics') }} as diagnostics
    left join {{ ref('dim_team') }} as team
        on team.la_code = diagnostics.la_code
            and team.team_id = diagnostics.team_id
)

select
    la_code,
    team_diagnostic_key,
    known_team_id as team_id,
    service_area_id,
    visit_date,
    quality_domain,
    grade,
    visit_date = max(visit_date) over (partition by la_code, team_id) as is_latest_visit,
    extract_date
from diagnostics
