-- Staff spells (history kept: one row per spell in post). The end date is the last day in post.
-- A workforce census row (CSWW) describes its census date only (census_date; null for the staff
-- extract, whose spells hold for every date).
select
    staff.la_code,
    staff.staff_key,
    staff.worker_key,
    staff.team_id,
    team.service_area_id,
    coalesce(team.is_team, false) as is_recorded_against_team,
    staff.role,
    staff.employment,
    staff.employment in ('PERMANENT', 'FIXED_TERM') as is_employed,
    staff.role in (
        'SOCIAL_WORKER', 'NQSW', 'ADVANCED_PRACTITIONER', 'MANAGING_PRACTITIONER', 'TEAM_MANAGER',
        'SERVICE_MANAGER', 'HEAD_OF_SERVICE', 'IRO'
    ) as is_social_work_role,
    staff.is_operational,
    staff.is_case_holding,
    coalesce(staff.fte, 1.0) as fte,  -- rule 30: missing FTE = 1.0
    staff.start_date,
    staff.end_date,
    staff.leaving_reason,
    staff.census_date,
    staff.source_format
from {{ ref('int_staff__sources') }} as staff
left join {{ ref('dim_team') }} as team
    on team.la_code = staff.la_code
        and team.team_id = staff.team_id
