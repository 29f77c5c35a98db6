-- strategy_discussions_timely: "ext_strategy_discussions with strd_discussion_date in period;
-- met if wd(concern, discussion) <= 1 (parameter)." (kpi_parameters: working_days_allowed)
-- Rule 11: discussions with no discussion date belong to no period.
with allowed as (
    select {{ kpi_parameter('strategy_discussions_timely', 'working_days_allowed') }} as working_days_allowed
)

select
    discussions.la_code,
    'strategy_discussions_timely' as kpi_id,
    discussions.discussion_date as reference_date,
    discussions.team_id,
    discussions.service_area_id,
    discussions.strategy_discussion_key,
    discussions.child_key,
    discussions.concern_date,
    discussions.discussion_date,
    discussions.working_days_to_discussion as working_days,
    allowed.working_days_allowed,
    coalesce(discussions.working_days_to_discussion <= allowed.working_days_allowed, false) as is_met,
    case when discussions.working_days_to_discussion is null then 'a date outside the working-day calendar'
        else 'held ' || discussions.working_days_to_discussion || ' working days after the concern'
            || case when discussions.working_days_to_discussion > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed'
                else ''
            end
    end as reason,
    coalesce(discussions.working_days_to_discussion <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_strategy_discussions') }} as discussions
cross join allowed
where discussions.discussion_date is not null
