-- CSWW vacancies in the shape of stg_ext__vacancies: the authority's vacant FTE on each census
-- date (no team), one row per census year.
select
    la_code,
    'csww:' || return_year || ':vacancies' as vacancy_key,
    cast(null as {{ text_type() }}) as team_id,
    {{ csww_census_date('return_year') }} as vacancy_month,
    number_of_vacancies as vacant_fte,
    extract_date,
    'csww' as source_format
from {{ source('raw', 'csww_la_vacancies') }}
where number_of_vacancies is not null
