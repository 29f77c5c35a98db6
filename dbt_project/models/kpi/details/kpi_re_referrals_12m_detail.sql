-- re_referrals_12m: "Referrals (ssd_cin_episodes.cine_referral_date) in period where the same
-- child has an earlier referral dated within the 365 days before it / referrals in period."
-- Rule 10: an earlier referral 1 to 365 days before (kpi_parameters: days_lookback), which may
-- lie before the published window; same-day referrals are not re-referrals of each other.
-- is_met = the referral is a re-referral (lower is better).
with lookback as (
    select {{ kpi_parameter('re_referrals_12m', 'days_lookback') }} as days_lookback
)

select
    referrals.la_code,
    're_referrals_12m' as kpi_id,
    referrals.referral_date as reference_date,
    referrals.team_id,
    referrals.service_area_id,
    referrals.referral_key,
    referrals.child_key,
    referrals.referral_date,
    referrals.previous_referral_date,
    referrals.days_since_previous_referral as interval_days,
    lookback.days_lookback,
    referrals.source_format,
    coalesce(referrals.days_since_previous_referral <= lookback.days_lookback, false) as is_met,
    case when referrals.previous_referral_date is null then 'no earlier-dated referral of the child'
        else 'previous referral ' || referrals.days_since_previous_referral || ' days earlier'
            || case when referrals.days_since_previous_referral <= lookback.days_lookback
                    then ', within the ' || lookback.days_lookback::int || ': a re-referral'
                else ', beyond the ' || lookback.days_lookback::int || ': not a re-referral'
            end
    end as reason,
    coalesce(referrals.days_since_previous_referral <= lookback.days_lookback, false)::int as numerator,
    1 as denominator
from {{ ref('fct_referrals') }} as referrals
cross join lookback
