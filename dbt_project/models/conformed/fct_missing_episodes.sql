-- Missing episodes with their return home interviews (ext_return_interviews, linked by the
-- missing episode id). Clock times matter here (rule 3): the standard is an interview offered
-- within 72 hours of the end of the episode. An episode with no end is still missing.
-- Team: none is recorded on the episode, so the child's allocated team on the end date.
with interviews as (
    select
        la_code,
        missing_episode_key,
        count(*) as return_interview_count,
        min(offered_datetime) as first_offered_datetime,
        min(completed_datetime) as first_completed_datetime
    from {{ ref('stg_ext__return_interviews') }}
    group by la_code, missing_episode_key
),

episodes as (
    select
        missing.la_code,
        missing.missing_episode_key,
        missing.child_key,
        missing.missing_type,
        missing.missing_start_datetime,
        missing.missing_end_datetime,
        missing.missing_end_datetime::date as missing_end_date,
        coalesce(missing.missing_end_datetime, missing.missing_start_datetime)::date as attribution_date,
        missing.recorded_rhi_offered,
        missing.recorded_rhi_accepted,
        coalesce(interviews.return_interview_count, 0) as return_interview_count,
        interviews.first_offered_datetime,
        interviews.first_completed_datetime,
        null::{{ text_type() }} as episode_team_id,
        missing.source_format
    from {{ ref('int_missing_episodes__sources') }} as missing
    left join interviews
        on interviews.la_code = missing.la_code
            and interviews.missing_episode_key = missing.missing_episode_key
)

select
    la_code,
    missing_episode_key,
    child_key,
    team_id,
    service_area_id,
    missing_type,
    missing_start_datetime,
    missing_end_datetime,
    missing_end_date,
    missing_end_datetime is null as is_still_missing,
    return_interview_count,
    first_offered_datetime,
    -- hours from the end of the episode to the first offer (negative = offered before the end)
    {{ whole_seconds_between('missing_end_datetime', 'first_offered_datetime') }} / 3600.0 as hours_to_first_offer,
    first_completed_datetime,
    recorded_rhi_offered,
    recorded_rhi_accepted,
    source_format
from {{ attribute_to_team('episodes', 'episode_team_id', 'attribution_date') }}
