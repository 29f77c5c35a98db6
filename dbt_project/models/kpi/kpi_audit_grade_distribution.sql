-- The full audit grade distribution (catalogue, audit_grade_good_or_better: "Also publish the
-- full grade distribution"): per complete period and level (authority, service area, team),
-- the number of audits at each grade, out of all audits counted. Same units as the audit
-- measures: ext_case_audits dated in the period, RE_AUDIT excluded, no type included (rule
-- 32), attributed to the audited team. Every grade is listed (zero when none).
with grades as (
    select * from (
        values
        ('OUTSTANDING', 1), ('GOOD', 2), ('REQUIRES_IMPROVEMENT', 3), ('INADEQUATE', 4)
    ) as grades (grade, grade_order)
),

audits as (
    select
        audits.la_code, audits.team_id, audits.service_area_id, audits.grade,
        days.month_start, days.fin_quarter_start, days.fin_year_start
    from {{ ref('kpi_audit_grade_good_or_better_detail') }} as audits
    join {{ ref('dim_date') }} as days on days.calendar_date = audits.reference_date
),

by_period as (
    select
        *, {{ unnest_structs([
            {'period_type': "'month'", 'period_start': 'month_start'},
            {'period_type': "'quarter'", 'period_start': 'fin_quarter_start'},
            {'period_type': "'year'", 'period_start': 'fin_year_start'}
        ]) }} as period
    from audits
),

by_level as (
    select
        by_period.la_code, by_period.grade, by_period.period.period_type, by_period.period.period_start,
        {{ unnest_structs([
            {'breakdown': "'la'", 'breakdown_id': 'by_period.la_code'},
            {'breakdown': "'service_area'", 'breakdown_id': 'by_period.service_area_id'},
            {'breakdown': "'team'", 'breakdown_id': 'by_period.team_id'}
        ]) }} as level
    from by_period
),

counted as (
    select
        by_level.la_code,
        by_level.period_type,
        by_level.period_start,
        level.breakdown,
        level.breakdown_id,
        by_level.grade,
        count(*) as audits
    from by_level
    group by all
),

cells as (
    select distinct
        counted.la_code, counted.period_type, counted.period_start, counted.breakdown,
        counted.breakdown_id, grades.grade, grades.grade_order
    from counted
    cross join grades
)

select
    cells.la_code,
    cells.period_type,
    cells.period_start,
    periods.period_end,
    periods.period_label,
    cells.breakdown,
    cells.breakdown_id,
    cells.grade,
    cells.grade_order,
    coalesce(counted.audits, 0) as audits,
    sum(coalesce(counted.audits, 0)) over level_period as all_audits,
    100.0 * coalesce(counted.audits, 0) / sum(coalesce(counted.audits, 0)) over level_period as percentage
from cells
join {{ ref('dim_period') }} as periods
    on periods.la_code = cells.la_code
        and periods.period_type = cells.period_type
        and periods.period_start = cells.period_start
left join counted
    on counted.la_code = cells.la_code
        and counted.period_type = cells.period_type
        and counted.period_start = cells.period_start
        and counted.breakdown = cells.breakdown
        and counted.breakdown_id = cells.breakdown_id
        and counted.grade = cells.grade
window
    level_period as (
        partition by cells.la_code, cells.period_type, cells.period_start, cells.breakdown, cells.breakdown_id
    )
