-- vacancy_rate: "vacant FTE / (vacant + employed FTE)" (DfE workforce census), at period end.
-- Rule 31: vacancies = ext_vacancies rows for the month of the period end; employed =
-- permanent + fixed-term staff in social-work roles in post at the period end. Two kinds of
-- row: a vacancy (numerator = denominator = vacant FTE) and an employed staff row (numerator
-- 0, denominator = FTE). Team: the vacancy's team, the staff row's team.
with vacancies as (
    select
        vacancies.la_code,
        month_ends.snapshot_date,
        vacancies.team_id,
        vacancies.service_area_id,
        'vacancy' as unit_type,
        vacancies.vacancy_key,
        null::{{ text_type() }} as staff_key,
        null::{{ text_type() }} as role,
        vacancies.vacant_fte as fte,
        vacancies.source_format,
        true as is_met,
        vacancies.vacant_fte || ' FTE vacant in the month' as reason,
        vacancies.vacant_fte as numerator,
        vacancies.vacant_fte as denominator
    from {{ ref('fct_vacancies') }} as vacancies
    join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = vacancies.la_code
            and month_ends.snapshot_date = vacancies.vacancy_month_end
),

employed as (
    select
        la_code,
        month_end as snapshot_date,
        team_id,
        service_area_id,
        'employed_staff' as unit_type,
        null::{{ text_type() }} as vacancy_key,
        staff_key,
        role,
        fte,
        source_format,
        false as is_met,
        lower(employment) || ' ' || lower(role) || ' in post, ' || fte || ' FTE' as reason,
        0 as numerator,
        fte as denominator
    from {{ ref('fct_staff_months') }}
    where is_in_post_at_month_end
        and is_social_work_role
        and is_employed
)

select la_code, 'vacancy_rate' as kpi_id, {{ star_except('', ['la_code']) }} from vacancies
union all
select la_code, 'vacancy_rate' as kpi_id, {{ star_except('', ['la_code']) }} from employed
