-- Disabilities from the SSD and the CIN census.
-- No event dates: where the authority sent any SSD disability, the SSD covers every child.
-- Rule of macro prefer_ssd_within_its_span (docs/returns.md) without event dates: return rows
-- only for authorities with no SSD row. source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__disabilities'), [ref('stg_cin_census__disabilities')], none) }}
