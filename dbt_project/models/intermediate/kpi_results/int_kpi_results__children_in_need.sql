-- children in need measures: aggregates of this domain's detail models, stacked.
{{ stack_kpi_results([
    ('cin_open', 'snapshot'),
    ('cin_rate_10k', 'snapshot'),
    ('cin_visits_20wd', 'snapshot'),
    ('unallocated_cases', 'snapshot'),
    ('cin_reviews_timely', 'flow'),
]) }}
