-- CIN census CIN plans in the shape of stg_ssd__cin_plans, keyed by their CINdetails and start
-- date. No team or worker in the census: NULL.
select
    la_code,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} || ':cinp:'
    || {{ format_date('cin_plan_start_date', '%Y-%m-%d') }} as cin_plan_key,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    lachildid as child_key,
    cin_plan_start_date as plan_start_date,
    cin_plan_end_date as plan_end_date,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(source('raw', 'cin_plans'), ['lachildid', 'cin_referral_date', 'cin_plan_start_date']) }}
