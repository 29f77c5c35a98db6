-- child protection measures: aggregates of this domain's detail models, stacked.
{{ stack_kpi_results([
    ('cp_plans_open', 'snapshot'),
    ('cp_rate_10k', 'snapshot'),
    ('cp_visits_10wd', 'snapshot'),
    ('core_groups_timely', 'snapshot'),
    ('cp_second_plan_2y', 'flow'),
    ('cp_second_plan_ever', 'flow'),
    ('cp_plans_2y_plus', 'flow'),
    ('cp_reviews_timely', 'flow'),
    ('core_group_records_5wd', 'flow'),
]) }}
