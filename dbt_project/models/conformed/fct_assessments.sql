-- One row per single assessment, with its working days from start to authorisation and the
-- team it is attributed to (recorded assessment team, else the child's allocated team on the
-- authorisation date, or the start date while it is not authorised).
with assessments as (
    select *, coalesce(assessment_auth_date, assessment_start_date) as attribution_date
    from {{ resolve_workers(ref('int_assessments__sources')) }}
)

select
    la_code,
    assessment_key,
    child_key,
    referral_key,
    team_id,
    service_area_id,
    recorded_team_id,
    worker_key,
    assessment_start_date,
    assessment_auth_date,
    case when assessment_auth_date is not null then
            {{ working_days_between('assessment_start_date', 'assessment_auth_date') }}
    end as working_days_to_authorisation,
    is_child_seen,
    is_outcome_nfa,
    extract_date,
    source_format
from {{ attribute_to_team('assessments', 'team_id', 'attribution_date') }}
