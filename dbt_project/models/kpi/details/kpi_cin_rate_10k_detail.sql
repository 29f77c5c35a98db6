-- cin_rate_10k: cin_open per 10,000 children aged 0-17. The units are those of cin_open; the
-- scorecard divides by the authority's population itself.
select la_code, 'cin_rate_10k' as kpi_id, {{ star_except('', ['la_code', 'kpi_id']) }}
from {{ ref('kpi_cin_open_detail') }}
