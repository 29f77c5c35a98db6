-- One row per CIN review whose plan resolves (rule 15), numbered by date within the plan, with
-- its due date computed from the schedule: the first is due plan start + first_months, each
-- later one the actual previous review + later_months.
{{ plan_review_schedule('cin', ref('stg_ext__cin_reviews'), 'cin_reviews_timely', ['record_distributed_date']) }}
