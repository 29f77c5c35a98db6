-- Teams with their service area (the parent in ssd_department). A department with no parent
-- is a service area in its own right. Teams are the leaves of the tree (rule 33): is_team is
-- false for a department that is the parent of another (a service area with teams); a unit
-- recorded against such a department counts in that service area and, at team level, in team
-- '-1' (rule 37). Every authority gets the unknown member ('-1') for units
-- with no known team, whether or not it delivered ssd_department (without it, every unit is
-- in team -1).
with departments as (
    select * from {{ ref('stg_ssd__departments') }}
)

select
    team.la_code,
    team.team_id,
    team.team_name,
    coalesce(team.parent_team_id, team.team_id) as service_area_id,
    coalesce(parent.team_name, team.parent_team_name, team.team_name) as service_area_name,
    team.parent_team_id is null as is_service_area,
    not exists (
        select 1 from departments as child
        where child.la_code = team.la_code and child.parent_team_id = team.team_id
            and child.team_id <> team.team_id
    ) as is_team
from departments as team
left join departments as parent
    on parent.la_code = team.la_code
        and parent.team_id = team.parent_team_id

union all

select la_code, '-1', 'Unknown team', '-1', 'Unknown service area', false, true
from {{ ref('dim_authority') }}
