-- workforce quality measures: aggregates of this domain's detail models, stacked.
-- supervision_monthly (with its operational / business support split) and
-- case_supervision_monthly are judged at each month end but quarters and years count
-- staff-months / child-months (rule 29): their month-end rows are summed over every month of
-- the period, as flow units dated on the month end.
{% set monthly_details = ['kpi_supervision_monthly_detail', 'kpi_case_supervision_monthly_detail'] %}
{% set flow_details = ['kpi_audit_grade_good_or_better_detail', 'kpi_audit_grade_inadequate_detail'] %}
{% set snapshot_details = ['kpi_caseload_average_detail', 'kpi_caseload_over_20_detail',
                           'kpi_nqsw_caseload_protected_detail', 'kpi_agency_rate_detail',
                           'kpi_vacancy_rate_detail', 'kpi_audit_actions_overdue_detail',
                           'kpi_early_help_open_detail'] %}
{% for detail in monthly_details %}
select * from (
{{ aggregate_flow_units('(select *, snapshot_date as reference_date from ' ~ ref(detail) ~ ')') }}
)
union all
{% endfor %}
{% for detail in flow_details %}
select * from (
{{ aggregate_flow_units(ref(detail)) }}
)
union all
{% endfor %}
{% for detail in snapshot_details %}
select * from (
{{ aggregate_snapshot_units(ref(detail)) }}
)
union all
{% endfor %}
-- turnover_rate is published for the authority only: 12 months of a team's leavers over its
-- staff on one date can exceed 100%, which a percentage must not (the quality gate blocks it).
-- Team and service area rows show no value; the detail rows keep each unit's team.
select * from (
{{ aggregate_snapshot_units(ref('kpi_turnover_rate_detail')) }}
)
where breakdown = 'la'
