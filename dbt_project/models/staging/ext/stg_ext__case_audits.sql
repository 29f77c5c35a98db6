-- Case audits: one graded audit of a child's case, with the team and worker audited and the
-- due and completion dates of the actions it set.
select
    la_code,
    audi_id as audit_key,
    audi_person_id as child_key,
    audi_team_id as team_id,
    audi_worker_id as worker_key,
    audi_date as audit_date,
    audi_type as audit_type,
    audi_grade as grade,
    audi_actions_due_date as actions_due_date,
    audi_actions_completed_date as actions_completed_date,
    extract_date
from {{ source('raw', 'ext_case_audits') }}
