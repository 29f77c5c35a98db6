-- Care leavers' latest status from the SSD and the SSDA903 OC3.
-- A current-status snapshot has no event dates: where the authority sent any SSD care leaver,
-- the SSD covers every date.
-- Rule of macro prefer_ssd_within_its_span (docs/returns.md) without event dates: return rows
-- only for authorities with no SSD row. source_format names where each row came from.
{{ prefer_ssd_within_its_span(ref('stg_ssd__care_leavers'), [ref('stg_ssda903__care_leavers')], none) }}
