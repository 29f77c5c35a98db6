-- SSDA903 episodes with the runs they belong to, the base of the 903 looked-after models
-- (docs/returns.md). The 903 holds no ids: an episode is the child's episode starting on DECOM,
-- keyed '903:<child>:<DECOM>' (the child's pseudonym is hex, so no key can equal an SSD one).
--   period of care: an episode continues the child's previous one when it starts on that
--     episode's DEC, the previous REC is X1 (episode ceased, care continues) and its own RNE is
--     not S (started to be looked after); otherwise a new period starts. Its key is the key of
--     its first episode.
--   legal status: a run of consecutive episodes of a period with the same LS;
--   placement: a run with the same PLACE, URN and PLACE_PROVIDER; each keyed by its first
--     episode.
with episodes as (
    select
        la_code,
        child as child_key,
        decom as episode_start_date,
        dec as episode_ceased_date,
        upper(trim(rne)) as episode_start_reason,
        upper(trim(rec)) as episode_ceased_reason,
        upper(trim(ls)) as legal_status_code,
        upper(trim(cin)) as primary_need_code,
        upper(trim(place)) as placement_type,
        upper(trim(place_provider)) as placement_provider,
        trim(urn) as provider_urn,
        upper(trim(reason_place_change)) as change_reason,
        extract_date,
        '903:' || child || ':' || {{ format_date('decom', '%Y-%m-%d') }} as cla_episode_key
    from {{ newest_return_year(source('raw', 'ssda903_episodes'), ['child', 'decom']) }}
),

previous as (
    select
        *,
        lag(episode_ceased_date) over by_child as previous_ceased_date,
        lag(episode_ceased_reason) over by_child as previous_ceased_reason
    from episodes
    window by_child as (partition by la_code, child_key order by episode_start_date nulls last)
),

periods as (
    select
        *,
        -- running count of period starts = the child's period number
        sum(case when previous_ceased_date = episode_start_date
                and previous_ceased_reason = 'X1'
                and episode_start_reason is distinct from 'S'
                then 0
            else 1
        end) over (
            partition by la_code, child_key order by episode_start_date nulls last
            rows unbounded preceding
        ) as period_number
    from previous
),

keyed_periods as (
    select
        *,
        first_value(cla_episode_key) over (
            partition by la_code, child_key, period_number order by episode_start_date nulls last
        ) as period_of_care_key,
        lag(legal_status_code) over in_period as previous_legal_status_code,
        lag(placement_type) over in_period as previous_placement_type,
        lag(provider_urn) over in_period as previous_provider_urn,
        lag(placement_provider) over in_period as previous_placement_provider,
        row_number() over in_period as episode_number
    from periods
    window in_period as (partition by la_code, child_key, period_number order by episode_start_date nulls last)
),

runs as (
    select
        *,
        sum(case when episode_number = 1
                or legal_status_code is distinct from previous_legal_status_code
                then 1
            else 0
        end) over (
            partition by la_code, period_of_care_key order by episode_start_date nulls last
            rows unbounded preceding
        ) as legal_status_run,
        sum(case when episode_number = 1
                or placement_type is distinct from previous_placement_type
                or provider_urn is distinct from previous_provider_urn
                or placement_provider is distinct from previous_placement_provider
                then 1
            else 0
        end) over (
            partition by la_code, period_of_care_key order by episode_start_date nulls last
            rows unbounded preceding
        ) as placement_run
    from keyed_periods
)

select
    la_code,
    cla_episode_key,
    period_of_care_key,
    child_key,
    episode_start_date,
    episode_ceased_date,
    episode_start_reason,
    episode_ceased_reason,
    primary_need_code,
    legal_status_code,
    first_value(cla_episode_key) over legal_status as legal_status_key,
    placement_type,
    provider_urn,
    placement_provider,
    change_reason,
    first_value(cla_episode_key) over placement as placement_key,
    extract_date
from runs
window
    legal_status as (partition by la_code, period_of_care_key, legal_status_run order by episode_start_date nulls last),
    placement as (partition by la_code, period_of_care_key, placement_run order by episode_start_date nulls last)
