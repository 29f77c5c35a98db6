-- SSDA903 placements in the shape of stg_ssd__cla_placements: a run of consecutive episodes of
-- one period of care in the same PLACE with the same URN and PLACE_PROVIDER
-- (stg_ssda903__episodes). The reason for the change is REASON_PLACE_CHANGE of the run's last
-- episode (recorded where the placement ended). The placement postcode stays raw: no distance.
select
    la_code,
    placement_key,
    {{ any_non_null('period_of_care_key') }} as period_of_care_key,
    {{ any_non_null('child_key') }} as child_key,
    min(episode_start_date) as placement_start_date,
    case when count(*) = count(episode_ceased_date) then max(episode_ceased_date) end as placement_end_date,
    {{ any_non_null('placement_type') }} as placement_type,
    {{ any_non_null('provider_urn') }} as provider_urn,
    {{ any_non_null('placement_provider') }} as placement_provider,
    null::double as placement_distance,
    {{ latest_value('change_reason', 'episode_start_date') }} as change_reason,
    max(extract_date) as extract_date,
    'ssda903' as source_format
from {{ ref('stg_ssda903__episodes') }}
group by la_code, placement_key
