-- Missing and absent episodes. Clock times are kept: the return interview standard is in
-- hours from the end of the episode (rule 3).
select
    la_code,
    miss_table_id as missing_episode_key,
    miss_person_id as child_key,
    miss_missing_episode_start_date::timestamp as missing_start_datetime,
    miss_missing_episode_end_date::timestamp as missing_end_datetime,
    miss_missing_episode_type as missing_type,
    upper(trim(miss_missing_rhi_offered)) as recorded_rhi_offered,
    upper(trim(miss_missing_rhi_accepted)) as recorded_rhi_accepted,
    extract_date
from {{ source('raw', 'ssd_missing') }}
