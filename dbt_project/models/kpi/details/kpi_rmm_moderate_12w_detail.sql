-- rmm_moderate_12w: "Children whose latest risk level at period end is MODERATE: met if their latest
-- meeting is within days_allowed days of period end" (kpi_parameters). Rule 27: the latest
-- level is the level on the child's latest record of either type dated on or before the
-- month end (expl_start_date; same day: the meeting wins); records with no level recorded are
-- ignored. No meeting yet = not met. Team: the child's allocated team at the month end.
{{ risk_meetings_within('rmm_moderate_12w', 'MODERATE') }}
