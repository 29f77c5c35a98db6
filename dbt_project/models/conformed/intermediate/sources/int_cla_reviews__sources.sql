-- LAC reviews from the SSD and the SSDA903.
-- The SSD wins inside its span of review_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__cla_reviews'), [ref('stg_ssda903__cla_reviews')], 'review_date') }}
