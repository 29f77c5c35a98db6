-- Every measure's aggregates by period and level, stacked. Each new measure adds one line here.
{{ aggregate_flow_units(ref('kpi_assessments_45wd_detail')) }}
