-- Section 47 enquiries from the SSD and the CIN census.
-- The SSD wins inside its span of s47_start_date dates; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(
    ref('stg_ssd__s47_enquiries'),
    [ref('stg_cin_census__s47_enquiries')],
    's47_start_date'
) }}
