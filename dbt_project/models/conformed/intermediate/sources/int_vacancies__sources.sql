-- Vacant FTE from the council's vacancies extract (ext_vacancies) and the workforce census
-- (CSWW): where the authority sent any vacancies extract, the census is not used.
{{ prefer_ssd_within_its_span(ref('stg_ext__vacancies'), [ref('stg_csww__vacancies')], none, ssd_format='extract') }}
