-- Initial CP conferences from the SSD and the CIN census (stg_cin_census__initial_cp_conferences says which census dates are conferences).
-- The SSD wins inside its span of icpc_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(
    ref('stg_ssd__initial_cp_conferences'),
    [ref('stg_cin_census__initial_cp_conferences')],
    'icpc_date'
) }}
