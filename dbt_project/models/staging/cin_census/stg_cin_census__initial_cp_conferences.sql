-- Initial child protection conferences from the CIN census, in the shape of
-- stg_ssd__initial_cp_conferences. The census records an ICPC as a date in two places:
--   Section47/DateOfInitialCPC: the conference that followed that enquiry; it links to the
--     enquiry (so icpc_15wd can time it from the S47 start), with its target date;
--   CINdetails/DateOfInitialCPC: the episode's ICPC, taken only when no Section47 of the same
--     CINdetails carries the same date, so one conference is never counted twice; it links
--     to no enquiry and is left out of icpc_15wd like any unlinked ICPC (rule 12).
-- No transfer-in marker, outcome, team or worker in the census: false / NULL.
with from_enquiries as (
    select
        la_code,
        lachildid,
        cin_referral_date,
        {{ cin_s47_key('lachildid', 'cin_referral_date', 's47_actual_start_date') }} as s47_enquiry_key,
        initial_cpc_target as icpc_target_date,
        date_of_initial_cpc as icpc_date,
        extract_date
    from {{ newest_return_year(
        source('raw', 'cin_section47'),
        ['lachildid', 'cin_referral_date', 's47_actual_start_date']
    ) }}
    where date_of_initial_cpc is not null
),

from_details as (
    select
        details.la_code,
        details.lachildid,
        details.cin_referral_date,
        cast(null as {{ text_type() }}) as s47_enquiry_key,
        null::date as icpc_target_date,
        details.date_of_initial_cpc as icpc_date,
        details.extract_date
    from {{ newest_return_year(source('raw', 'cin_details'), ['lachildid', 'cin_referral_date']) }} as details
    anti join from_enquiries
        on from_enquiries.la_code = details.la_code
            and from_enquiries.lachildid = details.lachildid
            and from_enquiries.cin_referral_date = details.cin_referral_date
            and from_enquiries.icpc_date = details.date_of_initial_cpc
    where details.date_of_initial_cpc is not null
),

conferences as (
    select * from from_enquiries
    union all
    select * from from_details
)

select
    la_code,
    -- one conference per CINdetails and date (the anti join above), so this is unique
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} || ':icpc:'
    || {{ format_date('icpc_date', '%Y-%m-%d') }} as icpc_key,
    cast(null as {{ text_type() }}) as icpc_meeting_key,
    s47_enquiry_key,
    lachildid as child_key,
    cast(null as {{ text_type() }}) as cp_plan_key,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    false as is_transfer_in,
    icpc_target_date,
    icpc_date,
    false as is_outcome_cp_plan,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    extract_date,
    'cin_census' as source_format
from conferences
