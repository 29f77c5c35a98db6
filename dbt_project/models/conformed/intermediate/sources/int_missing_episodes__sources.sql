-- Missing and away episodes from the SSD and the SSDA903.
-- The SSD wins inside its span of missing start dates; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__missing'), [ref('stg_ssda903__missing')], 'missing_start_datetime::date') }}
