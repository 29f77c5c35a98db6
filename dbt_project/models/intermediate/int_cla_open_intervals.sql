-- Looked-after episodes as open intervals (start, ceased), read straight from the raw table so
-- that child-status snapshots do not depend on the looked-after domain's models. Open at d:
-- start <= d and (ceased null or ceased > d) (rule 1).
select
    la_code,
    {{ pseudonym('cla_episode', 'la_code', 'clae_cla_episode_id') }} as cla_episode_key,
    {{ pseudonym('period_of_care', 'la_code', 'clae_cla_id') }} as period_of_care_key,
    {{ pseudonym('person', 'la_code', 'clae_person_id') }} as child_key,
    clae_cla_episode_start_date::date as start_date,
    clae_cla_episode_ceased_date::date as ceased_date
from {{ source('raw', 'ssd_cla_episodes') }}
