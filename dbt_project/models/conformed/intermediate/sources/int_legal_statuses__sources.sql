-- Legal statuses from the SSD and the SSDA903 (runs of episodes with one LS).
-- The SSD wins inside its span of start_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__legal_statuses'), [ref('stg_ssda903__legal_statuses')], 'start_date') }}
