-- The core group clock of every child on a CP plan at each clock date (core_groups_timely,
-- rule 14): the latest core group since the earliest open plan's start is due again
-- working_days_allowed working days after it; with none yet, the first is due
-- first_working_days_allowed working days after the plan start. Read by
-- kpi_core_groups_timely_detail and kpi_exceptions_child_protection.
{{ plan_working_day_clock(
    'core_groups_timely', 'cp', 'cp_plan_key is not null',
    "select la_code, child_key, core_group_key as event_key, meeting_date as event_date
     from " ~ ref('fct_core_groups') ~ "",
    'first_working_days_allowed', 'working_days_allowed') }}
