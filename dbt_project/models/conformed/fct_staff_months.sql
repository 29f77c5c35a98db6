-- Staff in post per month: one row per staff spell (ext_staff row) and published calendar
-- month it overlaps. In post at a date: start <= d and (end null or end >= d), the end date
-- being the last day in post (rule 2). In post for the whole month: started on or before the
-- 1st and not left before the month's last day. A workforce census row counts in the month of
-- its census date only: the census says nothing about the other months.
with months as (
    select la_code, {{ period_start('month', 'snapshot_date') }} as month_start, snapshot_date as month_end
    from {{ ref('int_month_ends') }}
)

select
    staff.la_code,
    staff.staff_key,
    staff.worker_key,
    months.month_start,
    months.month_end,
    -- a recorded team missing from dim_team (no service area) goes to the unknown team (rule
    -- 33); staff recorded against a service area with teams count in that service area and,
    -- at team level, in team '-1' (rule 37)
    case when staff.is_recorded_against_team then staff.team_id else '-1' end as team_id,
    coalesce(staff.service_area_id, '-1') as service_area_id,
    staff.role,
    staff.employment,
    staff.is_employed,
    staff.employment = 'AGENCY' as is_agency,
    staff.is_social_work_role,
    staff.is_operational,
    staff.is_case_holding,
    staff.role = 'NQSW' as is_nqsw,
    staff.fte,
    staff.start_date,
    staff.end_date,
    staff.start_date <= months.month_start
    and (staff.end_date is null or staff.end_date >= months.month_end) as is_in_post_whole_month,
    staff.start_date <= months.month_end
    and (staff.end_date is null or staff.end_date >= months.month_end) as is_in_post_at_month_end,
    staff.end_date between months.month_start and months.month_end as is_leaving_month,
    staff.source_format
from months
join {{ ref('dim_staff') }} as staff
    on staff.la_code = months.la_code
        and staff.start_date <= months.month_end
        and (staff.end_date is null or staff.end_date >= months.month_start)
        and (staff.census_date is null or staff.census_date = months.month_end)
