-- cla_rate_10k: cla_open per 10,000 children aged 0-17. The units are cla_open's (one per
-- child looked after at the month end); the scorecard supplies the authority's population.
select
    la_code,
    'cla_rate_10k' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    worker_key,
    cla_episode_key,
    period_of_care_key,
    period_of_care_start_date,
    episode_start_date,
    null::boolean as is_met,
    reason,
    1 as numerator,
    null::int as denominator
from {{ ref('kpi_cla_open_detail') }}
