-- One row per strategy discussion (ext_strategy_discussions): concern date, discussion date
-- (NULL while not held) and the working days between them, wd(concern, discussion) (an end
-- before its start counts as 0, rule 6; a date outside the calendar gives NULL). Team: the
-- team recorded on the discussion, else the child's allocated team on the discussion date (the
-- concern date while none is held), else '-1'.
with discussions as (
    select *, coalesce(discussion_date, concern_date) as attribution_date
    from {{ ref('stg_ext__strategy_discussions') }}
),

attributed as (
    select * from {{ attribute_to_team('discussions', 'team_id', 'attribution_date') }}
)

select
    attributed.la_code,
    attributed.strategy_discussion_key,
    attributed.child_key,
    attributed.referral_key,
    attributed.team_id,
    attributed.service_area_id,
    attributed.recorded_team_id,
    attributed.concern_date,
    attributed.discussion_date,
    {{ working_days_between('attributed.concern_date', 'attributed.discussion_date') }} as working_days_to_discussion,
    attributed.is_s47_initiated
from attributed
