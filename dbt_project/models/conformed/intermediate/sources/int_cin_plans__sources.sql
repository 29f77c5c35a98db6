-- CIN plans from the SSD and the CIN census.
-- The SSD wins inside its span of plan_start_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__cin_plans'), [ref('stg_cin_census__cin_plans')], 'plan_start_date') }}
