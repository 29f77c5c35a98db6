-- Placements from the SSD and the SSDA903 (runs of episodes in one placement).
-- The SSD wins inside its span of placement_start_date values; return rows are kept outside it (macro
-- prefer_ssd_within_its_span, docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(
    ref('stg_ssd__cla_placements'),
    [ref('stg_ssda903__cla_placements')],
    'placement_start_date'
) }}
