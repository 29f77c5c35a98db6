-- List 9: one row per care-leaver record, in the window when counted at any point of it
-- (counted_from to counted_until). Age at the data date.
select
    cl.la_code,
    cl.child_key,
    {{ annex_a_child_columns('children.data_date') }},
    -- Known only where the SSDA903 UASC table was delivered (dim_child.was_uasc); blank otherwise.
    {{ annex_a_yes_no('children.was_uasc', lettered=true) }} as uasc,
    children.allocated_team,
    children.allocated_worker_key,
    cl.personal_adviser_key,
    {{ annex_a_code('care_leaver_eligibility', 'cl.eligibility') }} as eligibility,
    cl.pathway_plan_review_date,
    {{ annex_a_code('care_leaver_in_touch', 'cl.in_touch_code') }} as in_touch,
    cl.latest_contact_date,
    {{ annex_a_code('care_leaver_accommodation', 'cl.accommodation_code') }} as accommodation,
    case when cl.is_suitably_accommodated then 'a) Suitable'
        when not cl.is_suitably_accommodated then 'b) Not suitable'
    end as accommodation_suitability,
    {{ annex_a_code('care_leaver_activity', 'cl.activity_code') }} as activity,
    cl.counted_from as window_from,
    cl.counted_until as window_to,
    cl.care_leaver_key as row_key
from {{ ref('fct_care_leavers') }} as cl
join {{ ref('annex_a_children') }} as children
    on children.la_code = cl.la_code and children.child_key = cl.child_key
