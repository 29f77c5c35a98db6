-- One row per CP review conference whose plan resolves (rule 15), numbered by date within the
-- plan, with its due date computed from the schedule, never the recorded one: the first is due
-- plan start + first_months, each later one the actual previous review + later_months.
{{ plan_review_schedule('cp', ref('int_cp_reviews__sources'), 'cp_reviews_timely',
                        ['recorded_due_date', 'is_outcome_continue_plan', 'is_quorate', 'is_child_participating', 'source_format']) }}
