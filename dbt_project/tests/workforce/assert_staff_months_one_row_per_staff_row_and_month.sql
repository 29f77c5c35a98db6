-- fct_staff_months: one row per staff row (ext_staff spell) and month.
select la_code, staff_key, month_start, count(*) as rows_for_staff_month
from {{ ref('fct_staff_months') }}
group by all
having count(*) > 1
