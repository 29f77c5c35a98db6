-- pre_proceedings_12w: "ssd_pre_proceedings concluded in period (step-down or issue date): met if
-- concluded within days_allowed days of the pre-proceedings decision" (12 weeks, kpi_parameters).
-- Rule 28: concluded on prep_agree_stepdown_issue_date; no decision date = not met.
{{ pre_proceedings_concluded_within('pre_proceedings_12w') }}
