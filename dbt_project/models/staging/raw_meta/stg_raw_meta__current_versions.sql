-- The extract each authority's tables were last loaded from: the authority's data date. For a
-- statutory return, the collection (ssda903, cin, csww; 'extract' for the SSD and local
-- extracts) and its return year (2024 = the 2023-24 return): a return has one current version
-- per return year.
select
    la_code,
    table_name,
    extract_date,
    collection,
    return_year
from {{ source('raw_meta', 'current_versions') }}
