-- audit_grade_good_or_better: "ext_case_audits dated in period, excluding RE_AUDIT, with grade GOOD or OUTSTANDING / all."
-- Rule 32: RE_AUDIT excluded, audits with no type included. Team: the audited team recorded
-- on the audit, else the child's allocated team on the audit date. is_met = counted in the
-- numerator (graded GOOD or OUTSTANDING).
select
    la_code,
    'audit_grade_good_or_better' as kpi_id,
    audit_date as reference_date,
    team_id,
    service_area_id,
    audit_key,
    child_key,
    worker_key,
    audit_date,
    audit_type,
    grade,
    grade in ('GOOD', 'OUTSTANDING') as is_met,
    'graded ' || grade || coalesce(' (' || audit_type || ' audit)', ' (no audit type)') as reason,
    (grade in ('GOOD', 'OUTSTANDING'))::int as numerator,
    1 as denominator
from {{ ref('fct_case_audits') }}
where not is_re_audit
