-- CP review conferences from the SSD and the CIN census.
-- The SSD wins inside its span of review_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__cp_reviews'), [ref('stg_cin_census__cp_reviews')], 'review_date') }}
