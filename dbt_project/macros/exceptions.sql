{#- An exception list as at each authority's data date: the items overdue, or falling due within
    the next N working days (kpi_parameters: exceptions, due_soon_working_days), with the
    child's allocated worker and team on that date.
    `items`: a list of (relation, overdue_from); each relation has one row per child and item:
    la_code, as_at_date, child_key, item, rule, last_done_date, due_date. overdue_from says when
    an item is overdue at the data date:
      'day_after_due'          the due date has passed (due_date < as_at_date);
      'working_day_after_due'  a working day has passed since the due date (working-day
                               timescales: an item due on a Friday is not overdue that weekend);
      'due_date'               the due date itself (a limit running out during that day). -#}
{% macro exception_list(items) -%}
with items as (
    {%- for relation, overdue_from in items %}
    {%- if overdue_from not in ('day_after_due', 'working_day_after_due', 'due_date') %}
    {{ exceptions.raise_compiler_error("exception_list: unknown overdue_from '" ~ overdue_from ~ "' for " ~ relation) }}
    {%- endif %}
    select
        la_code, as_at_date, child_key, item, rule, last_done_date, due_date,
        '{{ overdue_from }}' as overdue_from
    from {{ relation }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

judged as (
    -- after the union: Spark fails to plan a working-day look-up inside a union arm
    select
        items.*,
        case items.overdue_from
            when 'day_after_due' then items.due_date < items.as_at_date
            when 'working_day_after_due' then {{ working_days_between('items.due_date', 'items.as_at_date') }} > 0
            else items.due_date <= items.as_at_date
        end as is_overdue
    from items
),

classified as (
    select
        items.*,
        case
            when items.is_overdue then 'overdue'
            when {{ working_days_between('items.as_at_date', 'items.due_date') }} <= due_soon.working_days then 'due_soon'
        end as status,
        -- overdue: working days past the due date; due soon: minus the working days left
        case when items.is_overdue then {{ working_days_between('items.due_date', 'items.as_at_date') }}
             else -{{ working_days_between('items.as_at_date', 'items.due_date') }} end as working_days_overdue
    from judged as items
    cross join (
        select {{ kpi_parameter('exceptions', 'due_soon_working_days') }} as working_days
    ) as due_soon
),

allocated as (
    -- the allocated worker and team at the data date: the latest-starting open allocation
    select la_code, child_key, worker_key, team_id, service_area_id
    from (
        select
            authority.la_code,
            allocations.child_key,
            allocations.worker_key,
            allocations.team_id,
            allocations.service_area_id,
            row_number() over (
                partition by authority.la_code, allocations.child_key
                order by {{ allocation_precedence('allocations') }}) as precedence
        from {{ ref('dim_authority') }} as authority
        join {{ ref('fct_allocations') }} as allocations
            on allocations.la_code = authority.la_code
           and allocations.start_date <= authority.as_at_date
           and (allocations.end_date is null or allocations.end_date > authority.as_at_date)
    ) as ranked
    where precedence = 1
)

select
    classified.la_code,
    classified.as_at_date,
    classified.child_key,
    allocated.worker_key,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(teams.team_name, 'Unknown team') as team_name,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    classified.item,
    classified.rule,
    classified.last_done_date,
    classified.due_date,
    classified.status,
    classified.working_days_overdue
from classified
left join allocated
    on allocated.la_code = classified.la_code
   and allocated.child_key = classified.child_key
left join {{ ref('dim_team') }} as teams
    on teams.la_code = classified.la_code
   and teams.team_id = coalesce(allocated.team_id, '-1')
where classified.status is not null
{%- endmacro %}
