-- audit_grade_inadequate: "ext_case_audits dated in period, excluding RE_AUDIT, with grade INADEQUATE / all."
-- Rule 32: RE_AUDIT excluded, audits with no type included. Team: the audited team recorded
-- on the audit, else the child's allocated team on the audit date. is_met = counted in the
-- numerator (graded INADEQUATE).
select
    la_code,
    'audit_grade_inadequate' as kpi_id,
    audit_date as reference_date,
    team_id,
    service_area_id,
    audit_key,
    child_key,
    worker_key,
    audit_date,
    audit_type,
    grade,
    grade = 'INADEQUATE' as is_met,
    'graded ' || grade || coalesce(' (' || audit_type || ' audit)', ' (no audit type)') as reason,
    (grade = 'INADEQUATE')::int as numerator,
    1 as denominator
from {{ ref('fct_case_audits') }}
where not is_re_audit
