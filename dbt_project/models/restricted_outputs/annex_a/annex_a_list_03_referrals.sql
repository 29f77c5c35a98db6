-- List 3: one row per referral. "Number of Referrals in Last 12 Months": the child's other
-- referrals dated in the 12 months before this one (this one excluded, same-day others counted).
select
    r.la_code,
    r.child_key,
    {{ annex_a_child_columns('r.referral_date') }},
    r.referral_date,
    {{ annex_a_code('referral_source', 'r.referral_source_code') }} as referral_source,
    {{ annex_a_yes_no('r.is_referral_nfa') }} as referral_nfa,
    (
        select count(*) from {{ ref('fct_referrals') }} as earlier
        where earlier.la_code = r.la_code and earlier.child_key = r.child_key
            and earlier.referral_key <> r.referral_key
            and earlier.referral_date >= {{ annex_a_months_before('r.referral_date', 12) }}
            and earlier.referral_date <= r.referral_date
    ) as referrals_last_12_months,
    children.allocated_team,
    children.allocated_worker_key,
    r.referral_date as window_from,
    r.referral_date as window_to,
    r.referral_key as row_key
from {{ ref('fct_referrals') }} as r
join {{ ref('annex_a_children') }} as children
    on children.la_code = r.la_code and children.child_key = r.child_key
