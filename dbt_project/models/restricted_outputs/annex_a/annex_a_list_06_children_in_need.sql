-- List 6: one row per CIN episode (a referral that is not no further action: the CIN census
-- episode), in the window when open at any point of it. Age at the data date. "Date Child Was
-- Last Seen": the latest visit of any type with the child seen, on or before the data date.
-- "Case Status" at the data date: looked after, else child protection plan, else child in need
-- plan, else open CIN episode, else closed.
with last_seen as (
    select v.la_code, v.child_key, max(v.visit_date) as last_seen_date
    from {{ ref('fct_visits') }} as v
    join {{ ref('dim_authority') }} as authority on authority.la_code = v.la_code
    where v.is_child_seen and v.visit_date <= authority.as_at_date
    group by all
),

status as (
    select
        s.la_code, s.child_key,
        bool_or(s.status = 'cla_episode') as is_cla,
        bool_or(s.status = 'cp_plan') as is_cp,
        bool_or(s.status = 'cin_plan') as is_cin_plan,
        bool_or(s.status = 'cin_episode') as is_cin
    from {{ ref('fct_child_status_intervals') }} as s
    join {{ ref('dim_authority') }} as authority on authority.la_code = s.la_code
    where s.start_date <= authority.as_at_date
        and (s.end_date is null or s.end_date > authority.as_at_date)
    group by all
)

select
    r.la_code,
    r.child_key,
    {{ annex_a_child_columns('children.data_date') }},
    r.referral_date as cin_start_date,
    {{ annex_a_code('primary_need', 'r.primary_need_code') }} as primary_need,
    last_seen.last_seen_date,
    r.close_date as cin_closure_date,
    case when status.is_cla then 'a) Looked after child'
        when status.is_cp then 'b) Child protection plan'
        when status.is_cin_plan then 'c) Child in need plan'
        when status.is_cin then 'd) Open CIN episode'
        else 'e) Closed episode'
    end as case_status,
    children.allocated_team,
    children.allocated_worker_key,
    r.referral_date as window_from,
    r.close_date as window_to,
    r.referral_key as row_key
from {{ ref('fct_referrals') }} as r
join {{ ref('annex_a_children') }} as children
    on children.la_code = r.la_code and children.child_key = r.child_key
left join last_seen on last_seen.la_code = r.la_code and last_seen.child_key = r.child_key
left join status on status.la_code = r.la_code and status.child_key = r.child_key
where not coalesce(r.is_referral_nfa, false)
