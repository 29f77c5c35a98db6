-- Shared clocks: on a data date that is a published month end, every child the child protection
-- exception list shows for a CP visit, CIN visit or core group has the measure's detail row on
-- that date with the same last-done and due dates, and is overdue exactly when the measure
-- counts them not met; and no child the measure counts not met that day is missing from the
-- list. A failing row names the child, the item and both sides.
-- A test of several models: shown in Dagster as a check on kpi_exceptions_child_protection.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_exceptions_child_protection'}}}) }}
with listed as (
    select la_code, as_at_date, child_key, item, last_done_date, due_date, status
    from {{ ref('kpi_exceptions_child_protection') }}
    where item in ('cp_visit', 'cin_visit', 'core_group')
),

measured as (
    select
        la_code, snapshot_date, child_key, 'cp_visit' as item,
        latest_visit_date as last_done_date, due_date, is_met
    from {{ ref('kpi_cp_visits_10wd_detail') }}
    union all
    select
        la_code, snapshot_date, child_key, 'cin_visit',
        latest_visit_date, due_date, is_met
    from {{ ref('kpi_cin_visits_20wd_detail') }}
    union all
    select
        la_code, snapshot_date, child_key, 'core_group',
        latest_meeting_date, due_date, is_met
    from {{ ref('kpi_core_groups_timely_detail') }}
),

on_data_date as (
    -- the measures' rows on each authority's data date, when it is a published month end
    select measured.*
    from measured
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = measured.la_code
            and authority.as_at_date = measured.snapshot_date
)

select
    coalesce(listed.la_code, measure.la_code) as la_code,
    coalesce(listed.as_at_date, measure.snapshot_date) as as_at_date,
    coalesce(listed.child_key, measure.child_key) as child_key,
    coalesce(listed.item, measure.item) as item,
    listed.last_done_date as listed_last_done_date,
    measure.last_done_date as measure_last_done_date,
    listed.due_date as listed_due_date,
    measure.due_date as measure_due_date,
    listed.status as listed_status,
    measure.is_met as measure_is_met
from listed
join {{ ref('int_month_ends') }} as month_ends
    on month_ends.la_code = listed.la_code
        and month_ends.snapshot_date = listed.as_at_date
full outer join on_data_date as measure
    on measure.la_code = listed.la_code
        and measure.snapshot_date = listed.as_at_date
        and measure.child_key = listed.child_key
        and measure.item = listed.item
where measure.child_key is null
    or (listed.child_key is null and not measure.is_met)
    or (listed.child_key is not null and (
        listed.due_date is distinct from measure.due_date
        or listed.last_done_date is distinct from measure.last_done_date
        or (listed.status = 'overdue') is distinct from (not measure.is_met)
    ))
