-- cin_visits_20wd: as cp_visits_10wd for children with an open CIN plan (ssd_cin_plans) and no
-- open CP plan at period end (looked-after status does not exclude them, rule 16), visits from
-- ssd_cin_visits with the child seen, on or after the earliest open CIN plan's start; met if
-- wd(reference, period_end) <= 20 working days (kpi_parameters: working_days_allowed).
-- Team (rule 35): the allocated team at the month end, else the open CIN plan's team, else '-1'.
{{ latest_seen_visit_within('cin_visits_20wd', 'cin', 'is_cin_plan_open and not is_cp_open', ['cin_plan']) }}
