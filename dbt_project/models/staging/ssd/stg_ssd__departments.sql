-- Teams and the service areas above them (dept_team_parent_id).
select
    la_code,
    dept_team_id as team_id,
    dept_team_name as team_name,
    dept_team_parent_id as parent_team_id,
    dept_team_parent_name as parent_team_name,
    extract_date
from {{ source('raw', 'ssd_department') }}
