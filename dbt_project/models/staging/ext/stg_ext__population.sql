-- 0-17 population; popu_year is the calendar year in which the financial year starts (rule 5).
select
    la_code,
    popu_year::int as population_year,
    popu_children_0_17 as children_0_17,
    extract_date
from {{ source('raw', 'ext_population') }}
