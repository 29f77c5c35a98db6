-- Periods of care (catalogue rule 18): the episodes sharing a clae_cla_id. A period of care
-- starts at its earliest episode start and ends at its latest ceased date, only when none of
-- its episodes is open (ceased date null). cla_starts / cla_ceased count these.
with episodes as (
    select * from {{ ref('fct_cla_episodes') }}
),

periods as (
    select
        la_code,
        period_of_care_key,
        {{ earliest_value('child_key', 'episode_start_date') }} as child_key,
        min(episode_start_date) as start_date,
        max(episode_ceased_date) as latest_ceased_date,
        count(*) as episode_count,
        count(*) filter (where episode_ceased_date is null) as open_episode_count,
        {{ earliest_value('episode_start_reason', 'episode_start_date') }} as start_reason,
        {{ latest_value('episode_ceased_reason', 'episode_ceased_date') }} as latest_ceased_reason,
        min(recorded_entered_care_date) as recorded_entered_care_date,
        -- one source per period: a period's key is the SSD clae_cla_id or a 903 episode key
        {{ any_non_null('source_format') }} as source_format
    from episodes
    group by la_code, period_of_care_key
)

select
    la_code,
    period_of_care_key,
    child_key,
    start_date,
    case when open_episode_count = 0 then latest_ceased_date end as end_date,
    case when open_episode_count = 0 then latest_ceased_reason end as ceased_reason,
    open_episode_count > 0 as is_open,
    episode_count,
    start_reason,
    recorded_entered_care_date,
    source_format
from periods
