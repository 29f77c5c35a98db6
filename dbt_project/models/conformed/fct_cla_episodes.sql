-- One row per looked-after episode, with the period of care (clae_cla_id) it belongs to.
-- Open at d (rule 1): episode_start_date <= d and (episode_ceased_date null or > d).
select
    la_code,
    cla_episode_key,
    period_of_care_key,
    child_key,
    referral_key,
    placement_key,
    episode_start_date,
    episode_ceased_date,
    episode_start_reason,
    episode_ceased_reason,
    primary_need_code,
    recorded_entered_care_date,
    last_iro_contact_date,
    source_format
from {{ ref('int_cla_episodes__sources') }}
