-- LAC reviews, held or cancelled, keyed to their period of care (clar_cla_id). The recorded
-- due date is kept for reference only: schedules are computed from the rules (rule 15).
select
    la_code,
    clar_cla_review_id as cla_review_key,
    clar_cla_id as period_of_care_key,
    clar_cla_review_due_date::date as recorded_due_date,
    clar_cla_review_date::date as review_date,
    coalesce(clar_cla_review_cancelled, false) as is_cancelled,
    upper(trim(clar_cla_review_participation)) as participation_code,
    extract_date
from {{ source('raw', 'ssd_cla_reviews') }}
