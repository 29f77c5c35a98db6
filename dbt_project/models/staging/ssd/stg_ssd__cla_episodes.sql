-- Looked-after episodes (SSDA903 episodes): one row per episode; clae_cla_id groups the
-- episodes of one period of care. Times are dropped: these are day-level events (rule 3).
select
    la_code,
    clae_cla_episode_id as cla_episode_key,
    clae_cla_id as period_of_care_key,
    clae_person_id as child_key,
    clae_referral_id as referral_key,
    clae_cla_placement_id as placement_key,
    clae_cla_episode_start_date::date as episode_start_date,
    clae_cla_episode_start_reason as episode_start_reason,
    clae_cla_primary_need_code as primary_need_code,
    clae_cla_episode_ceased_date::date as episode_ceased_date,
    clae_cla_episode_ceased_reason as episode_ceased_reason,
    clae_entered_care_date::date as recorded_entered_care_date,
    clae_cla_last_iro_contact_date::date as last_iro_contact_date,
    extract_date
from {{ source('raw', 'ssd_cla_episodes') }}
