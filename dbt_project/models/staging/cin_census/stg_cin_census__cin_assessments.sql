-- CIN census assessments in the shape of stg_ssd__cin_assessments, keyed by their CINdetails
-- and start date. The census records neither whether the child was seen nor an NFA outcome
-- (false, rule 7), nor a team or worker (NULL). Assessment factors stay in raw.
select
    la_code,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} || ':assessment:'
    || {{ format_date('assessment_actual_start_date', '%Y-%m-%d') }} as assessment_key,
    lachildid as child_key,
    {{ cin_referral_key('lachildid', 'cin_referral_date') }} as referral_key,
    assessment_actual_start_date as assessment_start_date,
    assessment_authorisation_date as assessment_auth_date,
    false as is_child_seen,
    false as is_outcome_nfa,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(
    source('raw', 'cin_assessments'),
    ['lachildid', 'cin_referral_date', 'assessment_actual_start_date']
) }}
