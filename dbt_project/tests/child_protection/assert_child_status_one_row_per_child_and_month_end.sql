-- fct_child_status_month_end has one row per authority, month end and child.
select la_code, snapshot_date, child_key, count(*) as row_count
from {{ ref('fct_child_status_month_end') }}
group by la_code, snapshot_date, child_key
having count(*) > 1
