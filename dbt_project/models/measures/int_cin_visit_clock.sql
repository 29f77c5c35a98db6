-- The CIN visit clock of every child with an open CIN plan and no open CP plan at each clock
-- date (cin_visits_20wd, rule 16): the latest CIN visit with the child seen since the earliest
-- open CIN plan's start, else the plan start; the next visit is due working_days_allowed
-- working days after it. Read by kpi_cin_visits_20wd_detail and kpi_exceptions_child_protection.
{{ plan_working_day_clock(
    'cin_visits_20wd', 'cin', 'cin_plan_key is not null and cp_plan_key is null',
    "select la_code, child_key, visit_key as event_key, visit_date as event_date
     from " ~ ref('fct_visits') ~ " where visit_type = 'cin' and is_child_seen",
    'working_days_allowed', 'working_days_allowed') }}
