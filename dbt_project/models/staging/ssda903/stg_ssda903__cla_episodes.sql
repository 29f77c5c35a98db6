-- SSDA903 episodes in the shape of stg_ssd__cla_episodes: one row per episode, grouped into
-- periods of care by stg_ssda903__episodes. The 903 records no referral, entered-care date or
-- IRO contact: NULL.
select
    la_code,
    cla_episode_key,
    period_of_care_key,
    child_key,
    cast(null as {{ text_type() }}) as referral_key,
    placement_key,
    episode_start_date,
    episode_start_reason,
    primary_need_code,
    episode_ceased_date,
    episode_ceased_reason,
    null::date as recorded_entered_care_date,
    null::date as last_iro_contact_date,
    extract_date,
    'ssda903' as source_format
from {{ ref('stg_ssda903__episodes') }}
