-- Shared clocks: on a data date that is a published month end, every child the looked-after
-- exception list shows for a statutory visit has the cla_visits_timely detail row on that date
-- with the same latest visit, is overdue exactly when the measure counts them not met, and
-- the measure's verdict is the due date's (met exactly when the date is on or before it); no
-- child the measure counts not met that day is missing from the list. A failing row names
-- the child and both sides.
-- A test of several models: shown in Dagster as a check on kpi_exceptions_looked_after.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_exceptions_looked_after'}}}) }}
with listed as (
    select la_code, as_at_date, child_key, last_done_date, due_date, status
    from {{ ref('kpi_exceptions_looked_after') }}
    where item = 'cla_visit'
),

on_data_date as (
    select measured.la_code, measured.snapshot_date, measured.child_key, measured.latest_visit_date, measured.is_met
    from {{ ref('kpi_cla_visits_timely_detail') }} as measured
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = measured.la_code
            and authority.as_at_date = measured.snapshot_date
)

select
    coalesce(listed.la_code, measure.la_code) as la_code,
    coalesce(listed.as_at_date, measure.snapshot_date) as as_at_date,
    coalesce(listed.child_key, measure.child_key) as child_key,
    listed.last_done_date as listed_last_done_date,
    measure.latest_visit_date as measure_latest_visit_date,
    listed.due_date as listed_due_date,
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
where measure.child_key is null
    or (listed.child_key is null and not measure.is_met)
    or (listed.child_key is not null and (
        listed.last_done_date is distinct from measure.latest_visit_date
        or (listed.status = 'overdue') is distinct from (not measure.is_met)
        or measure.is_met is distinct from (listed.as_at_date <= listed.due_date)
    ))
