-- cp_reviews_timely: ssd_cp_reviews held in period, ordered within their plan: the first is due
-- 3 months after plan start, each later one 6 months after the previous review (kpi_parameters
-- first_months, later_months; schedule in fct_cp_reviews, rule 15); met if review date <= due.
-- Team: the child's allocated team on the review date.
{{ plan_reviews_on_time('cp_reviews_timely', 'cp') }}
