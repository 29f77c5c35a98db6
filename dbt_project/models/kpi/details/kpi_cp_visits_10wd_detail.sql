-- cp_visits_10wd: children with a CP plan open at period end. Reference date = the latest
-- visit with the child seen on or after plan start and on or before period end, else the plan
-- start. Met if wd(reference, period_end) <= 10 working days (kpi_parameters:
-- working_days_allowed). Visits belong to the child; the earliest open plan's start counts.
{{ latest_seen_visit_within('cp_visits_10wd', 'cp', 'is_cp_open') }}
