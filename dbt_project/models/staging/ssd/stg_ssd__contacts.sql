-- Contacts: one row per contact received by children's services. The clock time is kept:
-- the front-door contact measures are in hours (rule 3). The outcome text stays in raw.
select
    la_code,
    cont_contact_id as contact_key,
    cont_person_id as child_key,
    cont_contact_date as contact_datetime,
    cont_contact_date::date as contact_date,
    cont_contact_source_code as contact_source_code,
    cont_contact_source_desc as contact_source_desc,
    extract_date
from {{ source('raw', 'ssd_contacts') }}
