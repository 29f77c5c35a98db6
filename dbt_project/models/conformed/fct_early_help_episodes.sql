-- One row per early help episode, with its lead worker.
select
    la_code,
    early_help_episode_key,
    child_key,
    worker_key,
    start_date,
    end_date,
    episode_reason,
    end_reason,
    organisation,
    extract_date
from {{ resolve_workers(ref('stg_ssd__early_help_episodes')) }}
