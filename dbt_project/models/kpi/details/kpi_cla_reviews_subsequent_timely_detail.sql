-- cla_reviews_subsequent_timely: second and later LAC reviews held in the period. The second
-- is due 3 months after the first, each later one 6 months after the previous (actual) review;
-- met if held on or before the due date (schedule in fct_cla_reviews).
select
    la_code,
    'cla_reviews_subsequent_timely' as kpi_id,
    review_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    cla_review_key,
    period_of_care_key,
    review_number,
    previous_review_date,
    review_date,
    due_date,
    {{ days_between('due_date', 'review_date') }} as days_late,
    source_format,
    is_on_time as is_met,
    'review ' || review_number || ' held ' || {{ format_date('review_date', '%Y-%m-%d') }} || ', due '
    || {{ format_date('due_date', '%Y-%m-%d') }} || ' ('
    || case when review_number = 2 then 'second review' else 'later review' end
    || ' after the previous on ' || {{ format_date('previous_review_date', '%Y-%m-%d') }} || ')'
    || case
        when is_on_time then '' else ': ' || ({{ days_between('due_date', 'review_date') }}) || ' days late'
    end as reason,
    is_on_time::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }}
where review_number >= 2
