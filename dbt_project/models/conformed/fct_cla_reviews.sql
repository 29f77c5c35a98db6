-- Held LAC reviews, numbered and scheduled within their period of care, with their
-- administration (ext_cla_review_admin). Catalogue rules 15 and 20:
--   cancelled reviews are not reviews: excluded and not numbered;
--   reviews are ordered by date within the period of care (clae_cla_id); reviews whose period
--   of care does not resolve are excluded;
--   the first review is due within 20 working days of the start of the period of care; the
--   second 3 months after the first; each later one 6 months after the previous actual review
--   (calendar months, month-end clipped; all timescales are parameters).
-- Team: no team is recorded on a review, so the child's allocated team on the review date.
with params as (
    select {{ kpi_parameter('cla_reviews_first_20wd', 'working_days_allowed') }} as first_working_days_allowed
),

held_reviews as (
    select
        reviews.la_code,
        reviews.cla_review_key,
        reviews.period_of_care_key,
        periods.child_key,
        periods.start_date as care_start_date,
        reviews.review_date,
        reviews.participation_code,
        reviews.recorded_due_date,
        reviews.source_format
    from {{ ref('int_cla_reviews__sources') }} as reviews
    join {{ ref('fct_periods_of_care') }} as periods
        on periods.la_code = reviews.la_code
            and periods.period_of_care_key = reviews.period_of_care_key
    where not reviews.is_cancelled
        and reviews.review_date is not null
),

scheduled as (
    select
        numbered.*,
        {{ cla_review_due('numbered.care_start_date', 'numbered.review_number', 'numbered.previous_review_date') }}
            as due_date,
        case when numbered.review_number = 1
                then {{ working_days_between('numbered.care_start_date', 'numbered.review_date') }}
        end as working_days_from_care_start,
        params.first_working_days_allowed
    from {{ number_reviews('held_reviews', 'period_of_care_key', 'cla_review_key') }} as numbered
    cross join params
),

admin as (
    -- the newest extract's record (admin_rank is not carried further)
    select *
    from (
        select
            *,
            row_number() over (partition by la_code, cla_review_key order by extract_date desc) as admin_rank
        from {{ ref('stg_ext__cla_review_admin') }}
    ) as ranked
    where admin_rank = 1
),

reviews as (
    select
        scheduled.*,
        null::{{ text_type() }} as review_team_id,
        {{ completed_years_between('persons.date_of_birth', 'scheduled.review_date') }} as child_age_at_review,
        admin.cla_review_key is not null as has_admin_record,
        coalesce(admin.is_iro_consulted, false) as is_iro_consulted,
        admin.minutes_distributed_date,
        admin.recommendations_sent_date,
        admin.recommendations_response_date
    from scheduled
    left join admin
        on admin.la_code = scheduled.la_code
            and admin.cla_review_key = scheduled.cla_review_key
    left join {{ ref('int_persons__sources') }} as persons
        on persons.la_code = scheduled.la_code
            and persons.child_key = scheduled.child_key
)

select
    la_code,
    cla_review_key,
    period_of_care_key,
    child_key,
    team_id,
    service_area_id,
    care_start_date,
    review_number,
    review_date,
    previous_review_date,
    due_date,
    case
        when review_number = 1 then working_days_from_care_start <= first_working_days_allowed
        else review_date <= due_date
    end as is_on_time,
    working_days_from_care_start,
    recorded_due_date,
    child_age_at_review,
    participation_code,
    has_admin_record,
    is_iro_consulted,
    minutes_distributed_date,
    {{ working_days_between('review_date', 'minutes_distributed_date') }} as working_days_to_minutes,
    recommendations_sent_date,
    {{ working_days_between('review_date', 'recommendations_sent_date') }} as working_days_to_recommendations,
    recommendations_response_date,
    {{ working_days_between('recommendations_sent_date', 'recommendations_response_date') }}
        as working_days_to_response,
    source_format
from {{ attribute_to_team('reviews', 'review_team_id', 'review_date') }}
