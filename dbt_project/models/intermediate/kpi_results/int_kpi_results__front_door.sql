-- front door measures: aggregates of this domain's detail models, stacked.
{{ aggregate_flow_units(ref('kpi_assessments_45wd_detail')) }}
