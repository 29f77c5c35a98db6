-- The snapshot dates: every published month end of every authority. Snapshot measures are
-- evaluated on these; quarter and year ends are month ends too.
select la_code, period_end as snapshot_date
from {{ ref('dim_period') }}
where period_type = 'month'
