-- Staff spells from the council's staff extract (ext_staff) and the workforce census (CSWW).
-- Without event dates (each census is its own snapshot): where the authority sent any staff
-- extract, it covers every date and the census is not used (macro prefer_ssd_within_its_span).
{{ prefer_ssd_within_its_span(ref('stg_ext__staff'), [ref('stg_csww__staff')], none, ssd_format='extract') }}
