-- Legal statuses (SSDA903): the order or arrangement a looked-after child is under. Dates only:
-- a status changes on a day, like the episodes it accompanies.
select
    la_code,
    lega_legal_status_id as legal_status_key,
    lega_person_id as child_key,
    lega_legal_status as legal_status_code,
    lega_legal_status_start_date::date as start_date,
    lega_legal_status_end_date::date as end_date,
    extract_date
from {{ source('raw', 'ssd_legal_status') }}
