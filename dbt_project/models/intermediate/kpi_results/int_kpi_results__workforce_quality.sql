-- workforce quality measures: aggregates of this domain's detail models, stacked.
-- supervision_monthly (with its operational / business support split) and
-- case_supervision_monthly are judged at each month end but quarters and years count
-- staff-months / child-months (rule 29). turnover_rate is published per team and service area
-- like every staff measure (rule 37): 12 months of a team's leavers over its staff on one date
-- can exceed 100% (the quality gate allows it for turnover, suites.UNBOUNDED_PERCENTAGES).
-- caseload_average counts distinct children at each level (rule 36: a child held by workers in
-- two teams counts in each team, once in the authority).
{{ stack_kpi_results([
    ('supervision_monthly', 'monthly'),
    ('case_supervision_monthly', 'monthly'),
    ('audit_grade_good_or_better', 'flow'),
    ('audit_grade_inadequate', 'flow'),
    ('caseload_average', 'snapshot', {'distinct_numerator': 'child_key'}),
    ('caseload_over_20', 'snapshot'),
    ('nqsw_caseload_protected', 'snapshot'),
    ('agency_rate', 'snapshot'),
    ('vacancy_rate', 'snapshot'),
    ('audit_actions_overdue', 'snapshot'),
    ('early_help_open', 'snapshot'),
    ('turnover_rate', 'snapshot'),
]) }}
