-- CIN census CP reviews in the shape of stg_ssd__cp_reviews, linked to their plan by the child
-- and the plan start date (the plan's key). The census holds review dates only: no due date,
-- meeting, outcome, quorum or participation (NULL / false, rule 7).
select
    la_code,
    {{ cin_cp_plan_key('lachildid', 'cpp_start_date') }}
    || ':review:'
    || {{ format_date('cpp_review_date', '%Y-%m-%d') }} as cp_review_key,
    lachildid as child_key,
    {{ cin_cp_plan_key('lachildid', 'cpp_start_date') }} as cp_plan_key,
    null::date as recorded_due_date,
    cpp_review_date as review_date,
    cast(null as {{ text_type() }}) as meeting_key,
    false as is_outcome_continue_plan,
    false as is_quorate,
    false as is_child_participating,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(
    source('raw', 'cin_cp_reviews'),
    ['lachildid', 'cin_referral_date', 'cpp_start_date', 'cpp_review_date']
) }}
