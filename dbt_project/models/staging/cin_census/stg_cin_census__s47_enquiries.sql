-- CIN census Section47 records in the shape of stg_ssd__s47_enquiries, keyed by their
-- CINdetails and start date. The census has no S47 end date and no S47 outcome: end NULL, NFA
-- false; the measures on ended enquiries need the SSD (feed fct_s47_enquiries:outcomes).
select
    la_code,
    {{ cin_s47_key('lachildid', 'cin_referral_date', 's47_actual_start_date') }} as s47_enquiry_key,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    lachildid as child_key,
    s47_actual_start_date as s47_start_date,
    null::date as s47_end_date,
    false as is_nfa,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(
    source('raw', 'cin_section47'),
    ['lachildid', 'cin_referral_date', 's47_actual_start_date']
) }}
