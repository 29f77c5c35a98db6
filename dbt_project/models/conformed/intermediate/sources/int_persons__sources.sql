-- One row per child across the sources: the SSD person row when the SSD holds the child, else
-- the CIN census child, else the SSDA903 header (docs/returns.md: persons take the richest
-- source; the child key is the same pseudonym in all three, so a child is one row). Within a
-- source, the newest extract.
with persons as (
    {{ union_all_by_name([
        "select *, 'ssd' as source_format, 1 as source_rank from " ~ ref('stg_ssd__persons'),
        "select *, 2 as source_rank from " ~ ref('stg_cin_census__persons'),
        "select *, 3 as source_rank from " ~ ref('stg_ssda903__persons'),
    ]) }}
)

select {{ star_except('ranked', ['source_rank', 'person_rank']) }}
from (
    select
        *,
        row_number() over (
            partition by la_code, child_key order by source_rank asc, extract_date desc
        ) as person_rank
    from persons
) as ranked
where ranked.person_rank = 1
