-- CIN census disabilities in the shape of stg_ssd__disabilities (the same DfE codes).
select
    la_code,
    lachildid as child_key,
    upper(trim(disability)) as disability_code,
    extract_date,
    'cin_census' as source_format
from {{ newest_return_year(source('raw', 'cin_disability'), ['lachildid', 'disability']) }}
