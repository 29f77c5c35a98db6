-- Strategy discussions (local extract): the date the concern was raised and the date the
-- discussion was held (NULL while not held). Null flags mean "not Y" (rule 7).
select
    la_code,
    strd_id as strategy_discussion_key,
    strd_person_id as child_key,
    strd_referral_id as referral_key,
    strd_concern_date as concern_date,
    strd_discussion_date as discussion_date,
    coalesce(strd_s47_initiated, false) as is_s47_initiated,
    strd_team_id as team_id,
    extract_date
from {{ source('raw', 'ext_strategy_discussions') }}
