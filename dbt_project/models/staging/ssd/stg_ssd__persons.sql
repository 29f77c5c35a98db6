-- One row per child, keyed by the pseudonym ingestion gave it (names and case-management ids
-- never enter raw: they are kept in the restricted schema only).
select
    la_code,
    pers_person_id as child_key,
    pers_sex as sex,
    pers_ethnicity as ethnicity,
    pers_dob::date as date_of_birth,
    {{ text_flag('pers_send_flag') }} as has_send,  -- NCHAR(5) from the CMS's SEN flag
    extract_date
from {{ source('raw', 'ssd_person') }}
