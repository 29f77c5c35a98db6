-- cla_open: distinct children with an open ssd_cla_episodes episode at period end (rule 1:
-- start <= period end and (ceased null or ceased after it)). One row per child per month end,
-- with the latest-starting open episode and its period of care; team = the child's allocated
-- team at the month end.
with open_episodes as (
    select la_code, snapshot_date, child_key, cla_episode_key, period_of_care_key, episode_start_date, source_format
    from (
        select
            *,
            row_number() over (
                partition by la_code, snapshot_date, child_key
                order by episode_start_date desc, cla_episode_key asc
            ) as precedence
        from {{ open_at_month_ends(ref('fct_cla_episodes'), 'episode_start_date', 'episode_ceased_date') }} as episodes
    ) as ranked
    where precedence = 1
)

select
    open_episodes.la_code,
    'cla_open' as kpi_id,
    open_episodes.snapshot_date,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    open_episodes.child_key,
    allocated.worker_key,
    open_episodes.cla_episode_key,
    open_episodes.period_of_care_key,
    periods.start_date as period_of_care_start_date,
    open_episodes.episode_start_date,
    open_episodes.source_format,
    null::boolean as is_met,
    'looked after: in care since ' || {{ format_date('periods.start_date', '%Y-%m-%d') }}
    || ', current episode since ' || {{ format_date('open_episodes.episode_start_date', '%Y-%m-%d') }} as reason,
    1 as numerator,
    null::int as denominator
from open_episodes
left join {{ ref('fct_periods_of_care') }} as periods
    on periods.la_code = open_episodes.la_code
        and periods.period_of_care_key = open_episodes.period_of_care_key
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = open_episodes.la_code
        and allocated.snapshot_date = open_episodes.snapshot_date
        and allocated.child_key = open_episodes.child_key
