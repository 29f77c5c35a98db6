-- workforce quality measures: aggregates of this domain's detail models, stacked.
-- supervision_monthly (with its operational / business support split) and
-- case_supervision_monthly are judged at each month end but quarters and years count
-- staff-months / child-months (rule 29). turnover_rate is published for the authority only:
-- 12 months of a team's leavers over its staff on one date can exceed 100%, which a
-- percentage must not (the quality gate blocks it); the detail rows keep each unit's team.
{{ stack_kpi_results([
    ('supervision_monthly', 'monthly'),
    ('case_supervision_monthly', 'monthly'),
    ('audit_grade_good_or_better', 'flow'),
    ('audit_grade_inadequate', 'flow'),
    ('caseload_average', 'snapshot'),
    ('caseload_over_20', 'snapshot'),
    ('nqsw_caseload_protected', 'snapshot'),
    ('agency_rate', 'snapshot'),
    ('vacancy_rate', 'snapshot'),
    ('audit_actions_overdue', 'snapshot'),
    ('early_help_open', 'snapshot'),
    ('turnover_rate', 'snapshot', {'breakdowns': ['la']}),
]) }}
