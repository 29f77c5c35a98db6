-- Return home interviews after missing episodes; offer and completion keep their clock times.
select
    la_code,
    rhin_id as return_interview_key,
    rhin_missing_id as missing_episode_key,
    rhin_person_id as child_key,
    rhin_offered_datetime::timestamp as offered_datetime,
    rhin_completed_datetime::timestamp as completed_datetime,
    rhin_outcome as outcome,
    rhin_placing_la as placing_authority,
    extract_date
from {{ source('raw', 'ext_return_interviews') }}
