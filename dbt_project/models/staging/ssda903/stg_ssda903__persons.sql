-- SSDA903 header: one row per child in the shape of stg_ssd__persons. SEX is decoded through
-- the year-keyed code map (1/2 up to the 2023-24 return, M/F/U from 2024-25); ETHNIC uses the
-- SSD's list. The 903 has no SEN flag: NULL.
select
    header.la_code,
    header.child as child_key,
    {{ return_code('header.sex', 'ssda903_header', 'sex', 'header.return_year') }} as sex,
    upper(trim(header.ethnic)) as ethnicity,
    header.dob as date_of_birth,
    null::boolean as has_send,
    header.extract_date,
    'ssda903' as source_format
from {{ newest_return_year(source('raw', 'ssda903_header'), ['child']) }} as header
