-- IRO activity records (OVERSIGHT, DISPUTE) with the working days from a dispute being raised
-- to its resolution. Team: no team is recorded for the child on these records (the IRO's own
-- team is not the child's), so the child's allocated team on the activity date.
with activity as (
    select *, null::{{ text_type() }} as activity_team_id
    from {{ resolve_workers(ref('stg_ext__iro_activity'), ['iro_worker_key']) }}
)

select
    la_code,
    iro_activity_key,
    child_key,
    iro_worker_key,
    team_id,
    service_area_id,
    activity_type,
    activity_date,
    resolved_date,
    case when resolved_date is not null
            then {{ working_days_between('activity_date', 'resolved_date') }}
    end as working_days_to_resolution
from {{ attribute_to_team('activity', 'activity_team_id', 'activity_date') }}
