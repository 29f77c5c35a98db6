-- workforce quality measures: aggregates of this domain's detail models, stacked.
{{ no_kpi_results() }}
