-- Referrals (CIN episodes) from the SSD and the CIN census (CINdetails).
-- The SSD wins inside its span of referral_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__cin_episodes'), [ref('stg_cin_census__cin_episodes')], 'referral_date') }}
