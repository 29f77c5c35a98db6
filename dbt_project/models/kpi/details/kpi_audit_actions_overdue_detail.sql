-- audit_actions_overdue: "Audits whose actions were due on or before period end and not
-- completed by then" (a count of audits, rule 26; RE_AUDIT excluded, rule 32). One row per
-- audit and month end at which its actions are overdue: due <= month end and (no completion
-- or completed after the month end). Team: the audit's team (recorded, else the child's
-- allocated team on the audit date).
select
    audits.la_code,
    'audit_actions_overdue' as kpi_id,
    month_ends.snapshot_date,
    audits.team_id,
    audits.service_area_id,
    audits.audit_key,
    audits.child_key,
    audits.audit_date,
    audits.grade,
    audits.actions_due_date,
    audits.actions_completed_date,
    {{ days_between('audits.actions_due_date', 'month_ends.snapshot_date') }} as days_overdue,
    null::boolean as is_met,
    'actions due ' || audits.actions_due_date
    || coalesce(', completed ' || audits.actions_completed_date || ' (after month end)', ', not completed') as reason,
    1 as numerator,
    null::double as denominator
from {{ ref('fct_case_audits') }} as audits
join {{ ref('int_month_ends') }} as month_ends
    on month_ends.la_code = audits.la_code
        and month_ends.snapshot_date >= audits.actions_due_date
        and (audits.actions_completed_date is null or month_ends.snapshot_date < audits.actions_completed_date)
where not audits.is_re_audit
