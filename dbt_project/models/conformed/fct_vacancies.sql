-- Vacant FTE per team and month; the month is normalised to its first day. A vacancy recorded
-- against a service area with teams counts in that service area and, at team level, in team
-- '-1' (rule 37); an unknown id in team and service area '-1' (rule 33).
select
    vacancies.la_code,
    vacancies.vacancy_key,
    {{ team_level('team') }} as team_id,
    coalesce(team.service_area_id, '-1') as service_area_id,
    {{ period_start('month', 'vacancies.vacancy_month') }} as vacancy_month_start,
    last_day(vacancies.vacancy_month) as vacancy_month_end,
    vacancies.vacant_fte,
    vacancies.extract_date,
    vacancies.source_format
from {{ ref('int_vacancies__sources') }} as vacancies
left join {{ ref('dim_team') }} as team
    on team.la_code = vacancies.la_code
        and team.team_id = vacancies.team_id
