-- Early help episodes per child, with the lead worker.
select
    la_code,
    earl_episode_id as early_help_episode_key,
    earl_person_id as child_key,
    earl_episode_start_date::date as start_date,
    earl_episode_end_date::date as end_date,
    earl_episode_reason as episode_reason,
    earl_episode_end_reason as end_reason,
    earl_episode_organisation as organisation,
    earl_episode_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_early_help_episodes') }}
