select
    la_code,
    disa_person_id as child_key,
    disa_disability_code as disability_code,
    extract_date
from {{ source('raw', 'ssd_disability') }}
