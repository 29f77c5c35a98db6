-- Life story work: when it became required and when (if) it was completed.
select
    la_code,
    lswk_id as life_story_work_key,
    lswk_person_id as child_key,
    lswk_required_date as required_date,
    lswk_completed_date as completed_date,
    extract_date
from {{ source('raw', 'ext_life_story_work') }}
