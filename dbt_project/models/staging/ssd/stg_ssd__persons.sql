-- One row per child. Names and case-management ids stop here: the child is a keyed pseudonym.
select
    la_code,
    {{ pseudonym('person', 'la_code', 'pers_person_id') }} as child_key,
    pers_sex as sex,
    pers_ethnicity as ethnicity,
    pers_dob::date as date_of_birth,
    pers_send_flag as has_send,
    extract_date
from {{ source('raw', 'ssd_person') }}
