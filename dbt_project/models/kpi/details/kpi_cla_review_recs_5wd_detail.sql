-- cla_review_recs_5wd: LAC reviews held in the period; met if
-- wd(review, recommendations sent) <= 5. No admin row or no date = not met (rule 22).
{{ review_admin_within('cla_review_recs_5wd', 'recommendations_sent_date', 'working_days_to_recommendations',
                       'recommendations sent') }}
