-- One row per child across the sources: the SSD person row when the SSD holds the child, else
-- the CIN census child, else the SSDA903 header (docs/returns.md: persons take the richest
-- source; the child key is the same pseudonym in all three, so a child is one row). Within a
-- source, the newest extract.
with persons as (
    select *, 'ssd' as source_format, 1 as source_rank from {{ ref('stg_ssd__persons') }}
    union all by name
    select *, 2 as source_rank from {{ ref('stg_cin_census__persons') }}
    union all by name
    select *, 3 as source_rank from {{ ref('stg_ssda903__persons') }}
)

select * exclude (source_rank)
from persons
qualify row_number() over (
        partition by la_code, child_key order by source_rank asc, extract_date desc
    ) = 1
