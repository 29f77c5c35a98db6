-- team_diagnostic_grades: "For each service area and quality domain, the count of teams at
-- each grade and the modal grade, from the latest ext_team_diagnostics visit per team."
-- One row per authority (breakdown 'la') or service area, quality domain and grade (every
-- grade listed, zero when no team has it). A team counts once per domain, with the grade of
-- its latest visit. The modal grade is the judged grade (NO_JUDGEMENT left out) held by most
-- teams; on a tie, the lower grade (the cautious reading).
with grades as (
    select * from (
        values
        ('OUTSTANDING', 1), ('GOOD', 2), ('REQUIRES_IMPROVEMENT', 3), ('INADEQUATE', 4), ('NO_JUDGEMENT', 5)
    ) as grades (grade, grade_order)
),

latest_team_grades as (
    select la_code, team_id, service_area_id, quality_domain, grade, visit_date
    from (
        select
            *,
            row_number() over (
                partition by la_code, team_id, quality_domain order by team_diagnostic_key
            ) as precedence
        from {{ ref('fct_team_diagnostics') }}
        where is_latest_visit
    ) as ranked
    where precedence = 1
),

by_level as (
    select
        *, {{ unnest_structs([
            {'breakdown': "'la'", 'breakdown_id': 'la_code'},
            {'breakdown': "'service_area'", 'breakdown_id': 'service_area_id'}
        ]) }} as level
    from latest_team_grades
),

levels as (
    select distinct by_level.la_code, level.breakdown, level.breakdown_id, by_level.quality_domain
    from by_level
),

counted as (
    select
        levels.la_code, levels.breakdown, levels.breakdown_id, levels.quality_domain,
        grades.grade, grades.grade_order,
        count(by_level.team_id) as teams,
        max(by_level.visit_date) as latest_visit_date
    from levels
    cross join grades
    left join by_level
        on by_level.la_code = levels.la_code
            and by_level.level.breakdown = levels.breakdown
            and by_level.level.breakdown_id = levels.breakdown_id
            and by_level.quality_domain = levels.quality_domain
            and by_level.grade = grades.grade
    group by all
),

modal as (
    select la_code, breakdown, breakdown_id, quality_domain, modal_grade
    from (
        select
            la_code, breakdown, breakdown_id, quality_domain, grade as modal_grade,
            row_number() over (
                partition by la_code, breakdown, breakdown_id, quality_domain
                order by teams desc, grade_order desc
            ) as precedence
        from counted
        where grade <> 'NO_JUDGEMENT' and teams > 0
    ) as ranked
    where precedence = 1
),

service_areas as (
    select distinct la_code, service_area_id, service_area_name from {{ ref('dim_team') }}
)

select
    counted.la_code,
    counted.breakdown,
    counted.breakdown_id,
    case when counted.breakdown = 'la' then 'Whole authority' else service_areas.service_area_name end
        as breakdown_name,
    counted.quality_domain,
    counted.grade,
    counted.grade_order,
    counted.teams,
    sum(counted.teams) over level_domain as teams_graded,
    modal.modal_grade,
    counted.grade = modal.modal_grade as is_modal_grade,
    max(counted.latest_visit_date) over level_domain as latest_visit_date
from counted
left join modal
    on modal.la_code = counted.la_code
        and modal.breakdown = counted.breakdown
        and modal.breakdown_id = counted.breakdown_id
        and modal.quality_domain = counted.quality_domain
left join service_areas
    on service_areas.la_code = counted.la_code
        and service_areas.service_area_id = counted.breakdown_id
        and counted.breakdown = 'service_area'
window level_domain as (partition by counted.la_code, counted.breakdown, counted.breakdown_id, counted.quality_domain)
