-- Care proceedings: issued and concluded dates and the outcome.
select
    la_code,
    crtp_id as care_proceedings_key,
    crtp_person_id as child_key,
    crtp_issued_date as issued_date,
    crtp_concluded_date as concluded_date,
    crtp_outcome as outcome,
    extract_date
from {{ source('raw', 'ext_care_proceedings') }}
