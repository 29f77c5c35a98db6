-- SSDA903 reviews in the shape of stg_ssd__cla_reviews. The 903 records held reviews only (no
-- cancelled ones, no due date) and names the child, not the period of care: a review belongs to
-- the child's 903 period of care open on the review date (rule 1: started on or before it, not
-- ended on or before it; overlapping periods, a data error, give the latest-starting one). A
-- review in no open period keeps a NULL period and is left out of the review measures like any
-- review whose period does not resolve (rule 15).
with periods as (
    select
        la_code,
        child_key,
        period_of_care_key,
        min(episode_start_date) as start_date,
        case when count(*) = count(episode_ceased_date) then max(episode_ceased_date) end as end_date
    from {{ ref('stg_ssda903__episodes') }}
    group by la_code, child_key, period_of_care_key
),

ranked as (
    select
        reviews.la_code,
        '903:' || reviews.child || ':' || {{ format_date('reviews.review', '%Y-%m-%d') }} as cla_review_key,
        periods.period_of_care_key,
        null::date as recorded_due_date,
        reviews.review as review_date,
        false as is_cancelled,
        upper(trim(reviews.review_code)) as participation_code,
        reviews.extract_date,
        'ssda903' as source_format,
        row_number() over (
            partition by reviews.la_code, reviews.child, reviews.review order by periods.start_date desc nulls last
        ) as period_rank
    from {{ newest_return_year(source('raw', 'ssda903_reviews'), ['child', 'review']) }} as reviews
    left join periods
        on periods.la_code = reviews.la_code
            and periods.child_key = reviews.child
            and periods.start_date <= reviews.review
            and (periods.end_date is null or periods.end_date > reviews.review)
)

select
    la_code,
    cla_review_key,
    period_of_care_key,
    recorded_due_date,
    review_date,
    is_cancelled,
    participation_code,
    extract_date,
    source_format
from ranked
where period_rank = 1
