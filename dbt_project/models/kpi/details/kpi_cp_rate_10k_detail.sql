-- cp_rate_10k: cp_plans_open per 10,000 children aged 0-17. The units are those of
-- cp_plans_open; the scorecard divides by the authority's population itself.
select la_code, 'cp_rate_10k' as kpi_id, {{ star_except('', ['la_code', 'kpi_id']) }}
from {{ ref('kpi_cp_plans_open_detail') }}
