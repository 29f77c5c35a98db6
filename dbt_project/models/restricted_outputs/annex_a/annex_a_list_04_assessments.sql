-- List 4: one row per assessment, in the window when open at any point of it (start to
-- authorisation). Age at the start.
select
    a.la_code,
    a.child_key,
    {{ annex_a_child_columns('a.assessment_start_date') }},
    a.assessment_start_date,
    {{ annex_a_yes_no('a.is_child_seen') }} as child_seen,
    a.assessment_auth_date,
    -- Authorised with an outcome other than no further action = assessed as needing support.
    case when a.assessment_auth_date is not null then {{ annex_a_yes_no('not a.is_outcome_nfa') }} end
        as requires_support,
    children.allocated_team,
    children.allocated_worker_key,
    a.assessment_start_date as window_from,
    a.assessment_auth_date as window_to,
    a.assessment_key as row_key
from {{ ref('fct_assessments') }} as a
join {{ ref('annex_a_children') }} as children
    on children.la_code = a.la_code and children.child_key = a.child_key
