-- The extract each authority's tables were last loaded from: the authority's data date.
select
    la_code,
    table_name,
    extract_date
from {{ source('raw_meta', 'current_versions') }}
