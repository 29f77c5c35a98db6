-- One row per case audit, attributed to the audited team recorded on the audit, else the
-- child's allocated team on the audit date, else '-1'. RE_AUDIT rows are kept and flagged;
-- the audit measures leave them out (rule 32; audits with no type are included).
with audits as (
    select * from {{ resolve_workers(ref('stg_ext__case_audits')) }}
),

attributed as (
    select * from {{ attribute_to_team('audits', 'team_id', 'audit_date') }}
)

select
    la_code,
    audit_key,
    child_key,
    worker_key,
    team_id,
    service_area_id,
    recorded_team_id,
    audit_date,
    audit_type,
    coalesce(audit_type = 'RE_AUDIT', false) as is_re_audit,
    grade,
    actions_due_date,
    actions_completed_date,
    extract_date
from attributed
