-- Vacant posts (FTE) per team and month.
select
    la_code,
    vaca_id as vacancy_key,
    vaca_team_id as team_id,
    vaca_month as vacancy_month,
    vaca_vacant_fte as vacant_fte,
    extract_date
from {{ source('raw', 'ext_vacancies') }}
