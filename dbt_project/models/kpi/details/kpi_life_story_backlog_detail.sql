-- life_story_backlog: ext_life_story_work records required on or before period end and not
-- completed by then (completed null or after period end). Counts records (rule 26).
-- Team: the child's allocated team at the month end.
select
    work.la_code,
    'life_story_backlog' as kpi_id,
    work.snapshot_date,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    work.child_key,
    work.life_story_work_key,
    allocated.worker_key,
    work.required_date,
    work.completed_date,
    {{ days_between('work.required_date', 'work.snapshot_date') }} as days_outstanding,
    null::boolean as is_met,
    'required ' || {{ format_date('work.required_date', '%Y-%m-%d') }} || ', outstanding for '
    || ({{ days_between('work.required_date', 'work.snapshot_date') }}) || ' days at period end'
    || case when work.completed_date is not null
            then ' (completed later, ' || {{ format_date('work.completed_date', '%Y-%m-%d') }} || ')'
        else ''
    end as reason,
    1 as numerator,
    null::int as denominator
from {{ open_at_month_ends(ref('fct_life_story_work'), 'required_date', 'completed_date') }} as work
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = work.la_code
        and allocated.snapshot_date = work.snapshot_date
        and allocated.child_key = work.child_key
