-- rmm_significant_4w: "Children whose latest risk level at period end is SIGNIFICANT: met if their latest
-- meeting is within days_allowed days of period end" (kpi_parameters). Rule 27: the latest
-- level is the level on the child's latest record of either type dated on or before the
-- month end (expl_start_date; same day: the meeting wins); records with no level recorded are
-- ignored. No meeting yet = not met. Team: the child's allocated team at the month end.
{% set kpi_id = 'rmm_significant_4w' %}
{% set risk_level = 'SIGNIFICANT' %}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'days_allowed') }} as days_allowed
),

levels as (
    -- each recorded level holds from its record's date until the child's next level record
    select
        la_code, child_key, risk_level, start_date as level_from,
        lead(start_date) over child_records as level_until
    from {{ ref('fct_exploitation') }}
    where risk_level is not null
    window child_records as (
        partition by la_code, child_key
        order by start_date, (record_type = 'RISK_MANAGEMENT_MEETING'), exploitation_record_key)
),

meeting_dates as (
    select distinct la_code, child_key, start_date as meeting_date
    from {{ ref('fct_exploitation') }}
    where record_type = 'RISK_MANAGEMENT_MEETING'
),

meetings as (
    -- each meeting is the latest until the child's next meeting
    select *, lead(meeting_date) over (partition by la_code, child_key order by meeting_date) as next_meeting_date
    from meeting_dates
),

children_at_level as (
    select month_ends.la_code, month_ends.snapshot_date, levels.child_key, levels.level_from
    from {{ ref('int_month_ends') }} as month_ends
    join levels
        on levels.la_code = month_ends.la_code
       and levels.level_from <= month_ends.snapshot_date
       and (levels.level_until is null or levels.level_until > month_ends.snapshot_date)
    where levels.risk_level = '{{ risk_level }}'
),

judged as (
    select
        children.*,
        meetings.meeting_date as latest_meeting_date,
        date_diff('day', meetings.meeting_date, children.snapshot_date) as days_since_meeting
    from children_at_level as children
    left join meetings
        on meetings.la_code = children.la_code
       and meetings.child_key = children.child_key
       and meetings.meeting_date <= children.snapshot_date
       and (meetings.next_meeting_date is null or meetings.next_meeting_date > children.snapshot_date)
)

select
    judged.la_code,
    '{{ kpi_id }}' as kpi_id,
    judged.snapshot_date,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    judged.child_key,
    '{{ risk_level }}' as risk_level,
    judged.level_from as risk_level_since,
    judged.latest_meeting_date,
    judged.days_since_meeting,
    allowed.days_allowed,
    coalesce(judged.days_since_meeting <= allowed.days_allowed, false) as is_met,
    case when judged.latest_meeting_date is null then 'no risk management meeting yet'
         else 'latest meeting ' || judged.days_since_meeting || ' days before month end'
              || case when judged.days_since_meeting > allowed.days_allowed
                      then ', over the ' || allowed.days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(judged.days_since_meeting <= allowed.days_allowed, false)::int as numerator,
    1 as denominator
from judged
cross join allowed
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = judged.la_code
   and allocated.snapshot_date = judged.snapshot_date
   and allocated.child_key = judged.child_key
