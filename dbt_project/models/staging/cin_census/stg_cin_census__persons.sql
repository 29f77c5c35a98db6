-- CIN census children: one row per child in the shape of stg_ssd__persons. Sex is decoded
-- through the year-keyed code map (1/2/0/9 up to 2023-24, M/F/U from 2024-25); ethnicity uses
-- the SSD's list. No SEN flag in the census: NULL.
select
    child.la_code,
    child.lachildid as child_key,
    {{ return_code('child.sex', 'cin_child', 'sex', 'child.return_year') }} as sex,
    upper(trim(ethnicity)) as ethnicity,
    child.person_birth_date as date_of_birth,
    null::boolean as has_send,
    child.extract_date,
    'cin_census' as source_format
from {{ newest_return_year(source('raw', 'cin_child'), ['lachildid']) }} as child
