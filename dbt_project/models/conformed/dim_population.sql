-- 0-17 population by financial year: popu_year is the year in which the financial year starts.
select
    la_code,
    make_date(population_year, 4, 1) as fin_year_start,
    children_0_17
from {{ ref('stg_ext__population') }}
