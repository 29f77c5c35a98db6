-- List 7: one row per child protection plan, in the window when open at any point of it.
-- Age at the data date. "Date of the Last Statutory Visit": the child's latest CP visit with the
-- child seen from the plan start to the plan end (or the data date) (catalogue rules 7, 14);
-- "Was the Child Seen Alone?" is that visit's. "Number of Previous Child Protection Plans": the
-- plans the child started before this one (fct_cp_plans.earlier_plan_count, as the second-plan
-- measures count them). Emergency protection: a legal status L1/L2 (police protection,
-- emergency protection order) starting in the six months before the data date.
with plan_end as (
    select p.*, least(coalesce(p.plan_end_date, authority.as_at_date), authority.as_at_date) as visits_until
    from {{ ref('fct_cp_plans') }} as p
    join {{ ref('dim_authority') }} as authority on authority.la_code = p.la_code
),

last_visit as (
    select
        p.la_code, p.cp_plan_key,
        max(v.visit_date) as last_visit_date,
        {{ latest_value('v.is_child_seen_alone', 'v.visit_date') }} as seen_alone
    from plan_end as p
    join {{ ref('fct_visits') }} as v
        on v.la_code = p.la_code and v.child_key = p.child_key and v.visit_type = 'cp'
            and v.is_child_seen and v.visit_date >= p.plan_start_date and v.visit_date <= p.visits_until
    group by all
),

last_review as (
    select la_code, cp_plan_key, max(review_date) as last_review_date
    from {{ ref('fct_cp_reviews') }}
    group by all
),

emergency as (
    select distinct ls.la_code, ls.child_key
    from {{ ref('fct_legal_statuses') }} as ls
    join {{ ref('dim_authority') }} as authority on authority.la_code = ls.la_code
    where ls.legal_status_code in ('L1', 'L2')
        and ls.start_date > {{ annex_a_months_before('authority.as_at_date', 6) }}
        and ls.start_date <= authority.as_at_date
)

select
    p.la_code,
    p.child_key,
    {{ annex_a_child_columns('children.data_date') }},
    p.plan_start_date,
    {{ annex_a_code('cp_category', 'p.initial_category') }} as initial_category,
    {{ annex_a_code('cp_category', 'p.latest_category') }} as latest_category,
    last_visit.last_visit_date,
    {{ annex_a_yes_no('last_visit.seen_alone', lettered=true) }} as seen_alone,
    last_review.last_review_date,
    p.plan_end_date,
    {{ annex_a_yes_no('emergency.child_key is not null', lettered=true) }} as emergency_protection,
    coalesce(p.earlier_plan_count, 0) as previous_plans,
    children.allocated_team,
    children.allocated_worker_key,
    p.plan_start_date as window_from,
    p.plan_end_date as window_to,
    p.cp_plan_key as row_key
from plan_end as p
join {{ ref('annex_a_children') }} as children
    on children.la_code = p.la_code and children.child_key = p.child_key
left join last_visit on last_visit.la_code = p.la_code and last_visit.cp_plan_key = p.cp_plan_key
left join last_review on last_review.la_code = p.la_code and last_review.cp_plan_key = p.cp_plan_key
left join emergency on emergency.la_code = p.la_code and emergency.child_key = p.child_key
