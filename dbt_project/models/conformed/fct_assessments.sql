-- One row per single assessment, with its working days from start to authorisation.
with assessments as (
    select * from {{ ref('stg_ssd__cin_assessments') }}
)

select
    assessments.la_code,
    assessments.assessment_key,
    assessments.child_key,
    assessments.referral_key,
    coalesce(team.team_id, '-1') as team_id,
    coalesce(team.service_area_id, '-1') as service_area_id,
    assessments.worker_key,
    assessments.assessment_start_date,
    assessments.assessment_auth_date,
    case when assessments.assessment_auth_date is not null then
        {{ working_days_between('assessments.assessment_start_date', 'assessments.assessment_auth_date') }}
    end as working_days_to_authorisation,
    assessments.is_child_seen,
    assessments.is_outcome_nfa,
    assessments.extract_date
from assessments
left join {{ ref('dim_team') }} as team
    on team.la_code = assessments.la_code
   and team.team_id = assessments.team_id
