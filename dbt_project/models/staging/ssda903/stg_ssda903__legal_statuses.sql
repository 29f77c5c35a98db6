-- SSDA903 legal statuses in the shape of stg_ssd__legal_statuses: a run of consecutive episodes
-- of one period of care under the same LS (stg_ssda903__episodes), from its first episode's
-- start to its last episode's ceased date (NULL while that episode is open).
select
    la_code,
    legal_status_key,
    {{ any_non_null('child_key') }} as child_key,
    {{ any_non_null('legal_status_code') }} as legal_status_code,
    min(episode_start_date) as start_date,
    -- the run's last episode is open when any of its episodes has no ceased date
    case when count(*) = count(episode_ceased_date) then max(episode_ceased_date) end as end_date,
    max(extract_date) as extract_date,
    'ssda903' as source_format
from {{ ref('stg_ssda903__episodes') }}
group by la_code, legal_status_key
