-- Life story work records: outstanding at d when required on or before d and not completed
-- by d (completed null or after d).
select
    la_code,
    life_story_work_key,
    child_key,
    required_date,
    completed_date
from {{ ref('stg_ext__life_story_work') }}
