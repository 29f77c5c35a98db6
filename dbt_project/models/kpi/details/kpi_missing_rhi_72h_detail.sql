-- missing_rhi_72h: missing episodes whose end date-time falls in the period (still-missing
-- episodes are in no period): met if a linked return interview was offered within 72 hours of
-- the end (rhin_offered_datetime <= end + 72 h, timestamps compared as recorded: rules 3, 24).
with allowed as (
    select {{ kpi_parameter('missing_rhi_72h', 'hours_allowed') }} as hours_allowed
)

select
    episodes.la_code,
    'missing_rhi_72h' as kpi_id,
    episodes.missing_end_date as reference_date,
    episodes.team_id,
    episodes.service_area_id,
    episodes.child_key,
    episodes.missing_episode_key,
    episodes.missing_start_datetime,
    episodes.missing_end_datetime,
    episodes.return_interview_count,
    episodes.first_offered_datetime,
    episodes.hours_to_first_offer,
    allowed.hours_allowed,
    episodes.source_format,
    coalesce(
        episodes.first_offered_datetime
        <= {{ add_seconds('episodes.missing_end_datetime', '(allowed.hours_allowed * 3600)::bigint') }}, false
    ) as is_met,
    case
        when episodes.return_interview_count = 0 then 'no return interview recorded'
        when episodes.first_offered_datetime is null then 'return interview not offered'
        else 'return interview offered ' || {{ round_double('episodes.hours_to_first_offer', 1) }}
            || ' hours after the episode ended'
            || case when episodes.first_offered_datetime
                    > {{ add_seconds('episodes.missing_end_datetime', '(allowed.hours_allowed * 3600)::bigint') }}
                    then ', over the ' || allowed.hours_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(
        episodes.first_offered_datetime
        <= {{ add_seconds('episodes.missing_end_datetime', '(allowed.hours_allowed * 3600)::bigint') }}, false
    )::int as numerator,
    1 as denominator
from {{ ref('fct_missing_episodes') }} as episodes
cross join allowed
where not episodes.is_still_missing
