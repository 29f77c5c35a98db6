-- cla_review_minutes_20wd: LAC reviews held in the period; met if
-- wd(review, minutes distributed) <= 20. No admin row or no date = not met (rule 22).
{{ review_admin_within('cla_review_minutes_20wd', 'minutes_distributed_date', 'working_days_to_minutes',
                       'minutes distributed') }}
