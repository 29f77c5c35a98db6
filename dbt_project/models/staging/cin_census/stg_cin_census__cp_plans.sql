-- CIN census child protection plans in the shape of stg_ssd__cp_plans, keyed by the child and
-- plan start ('cin:<child>:cpp:<start>', the key its reviews name too). Categories are mapped
-- to the SSD list through the code map (NEG -> NEGLECT, ...). No ICPC id or other-authority
-- flag in the census: NULL / false.
select
    plans.la_code,
    {{ cin_cp_plan_key('lachildid', 'cpp_start_date') }} as cp_plan_key,
    plans.lachildid as child_key,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    cast(null as {{ text_type() }}) as icpc_key,
    plans.cpp_start_date as plan_start_date,
    plans.cpp_end_date as plan_end_date,
    {{ return_code('plans.initial_category_of_abuse', 'cin_cp_plans', 'category_of_abuse', 'plans.return_year') }}
        as initial_category,
    {{ return_code('plans.latest_category_of_abuse', 'cin_cp_plans', 'category_of_abuse', 'plans.return_year') }}
        as latest_category,
    false as is_other_la_plan,
    plans.extract_date,
    'cin_census' as source_format
from {{ newest_return_year(source('raw', 'cin_cp_plans'), ['lachildid', 'cin_referral_date', 'cpp_start_date']) }}
    as plans
