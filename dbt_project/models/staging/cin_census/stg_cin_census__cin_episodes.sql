-- CIN census CINdetails (one referral / CIN episode each) in the shape of
-- stg_ssd__cin_episodes. The census holds no ids: a referral is the child's CINdetails with
-- that referral date, keyed 'cin:<child>:<referral date>' (the child's pseudonym is hex, so no
-- key can equal an SSD one); the census's other records name their CINdetails the same way.
-- No team or worker in the census: NULL (the unknown team and worker, as today).
select
    la_code,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    lachildid as child_key,
    cin_referral_date as referral_date,
    cin_closure_date as close_date,
    referral_nfa as is_referral_nfa,
    upper(trim(primary_need_code)) as primary_need_code,
    upper(trim(referral_source)) as referral_source_code,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(source('raw', 'cin_details'), ['lachildid', 'cin_referral_date']) }}
