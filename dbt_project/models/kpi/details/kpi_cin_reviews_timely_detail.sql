-- cin_reviews_timely: ext_cin_reviews held in period; due = plan start + 3 months, then the
-- previous review + 3 months (kpi_parameters first_months, later_months; schedule in
-- fct_cin_reviews, rule 15); met if review date <= due. Team: the child's allocated team on the
-- review date (a CIN review records no team).
{{ plan_reviews_on_time('cin_reviews_timely', 'cin') }}
