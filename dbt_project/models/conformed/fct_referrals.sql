-- One row per referral (ssd_cin_episodes; records count as delivered, rule 6), with the date of
-- the same child's most recent referral dated strictly before it (same-day referrals are not
-- earlier referrals of each other, rule 10; the earlier one may lie before any published
-- period) and the calendar days between them. Team: the referral team recorded on the episode,
-- else the child's allocated team on the referral date, else '-1'.
with referrals as (
    select
        *,
        -- the latest referral of the child dated at least one day earlier: a window over the
        -- child's referrals, not a self-join
        max(referral_date) over (
            partition by la_code, child_key
            order by referral_date nulls last
            range between unbounded preceding and interval 1 day preceding
        ) as previous_referral_date
    from {{ resolve_workers(ref('int_referrals__sources')) }}
)

select
    la_code,
    referral_key,
    child_key,
    team_id,
    service_area_id,
    recorded_team_id,
    worker_key,
    referral_date,
    close_date,
    previous_referral_date,
    {{ days_between('previous_referral_date', 'referral_date') }} as days_since_previous_referral,
    is_referral_nfa,
    primary_need_code,
    referral_source_code,
    source_format
from {{ attribute_to_team('referrals', 'team_id', 'referral_date') }}
