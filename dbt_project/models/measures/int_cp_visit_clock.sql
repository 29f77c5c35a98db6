-- The CP visit clock of every child on a CP plan at each clock date (cp_visits_10wd, rule 14):
-- the latest visit with the child seen since the earliest open plan's start, else the plan
-- start; the next visit is due working_days_allowed working days after it. Read by
-- kpi_cp_visits_10wd_detail (month ends) and kpi_exceptions_child_protection (data date).
{{ plan_working_day_clock(
    'cp_visits_10wd', 'cp', 'cp_plan_key is not null',
    "select la_code, child_key, visit_key as event_key, visit_date as event_date
     from " ~ ref('fct_visits') ~ " where visit_type = 'cp' and is_child_seen",
    'working_days_allowed', 'working_days_allowed') }}
