-- cin_rate_10k: cin_open per 10,000 children aged 0-17. The units are those of cin_open; the
-- scorecard divides by the authority's population itself.
select
    la_code,
    'cin_rate_10k' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    referral_key,
    referral_date,
    worker_key,
    is_met,
    reason,
    numerator,
    denominator
from {{ ref('kpi_cin_open_detail') }}
