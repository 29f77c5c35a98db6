-- referrals_rate_10k: "Referrals in period, rate per 10,000 (annualised)." Each referral is
-- one unit (numerator 1); the scorecard divides by the authority's 0-17 population and
-- annualises (x 12 / months in period), so the denominator here is NULL.
select
    la_code,
    'referrals_rate_10k' as kpi_id,
    referral_date as reference_date,
    team_id,
    service_area_id,
    referral_key,
    child_key,
    referral_date,
    source_format,
    null::boolean as is_met,
    'referral received' as reason,
    1 as numerator,
    null::int as denominator
from {{ ref('fct_referrals') }}
