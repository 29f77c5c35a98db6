-- SSDA903 OC3 (care leavers' status around their 17th to 21st birthday) in the shape of
-- stg_ssd__care_leavers. IN_TOUCH, ACTIV and ACCOM go through the year-keyed code map like
-- every return code; today they need no row (the OC3 uses the DfE lists the SSD columns carry:
-- care_leaver_in_touch, care_leaver_activity, care_leaver_accommodation in seeds/code_lists.csv),
-- so they pass through trimmed and upper-cased, and a code outside those lists stays visible to
-- the in_code_list tests. An accommodation code ending in 1 is suitable (rule 25), as the OC3
-- defines. The 903 has no eligibility, contact date, pathway plan, adviser, team or worker: NULL.
select
    oc3.la_code,
    '903:' || oc3.child as care_leaver_key,
    oc3.child as child_key,
    cast(null as {{ text_type() }}) as eligibility,
    {{ return_code('upper(oc3.in_touch)', 'ssda903_oc3', 'in_touch', 'oc3.return_year') }} as in_touch_code,
    null::date as latest_contact_date,
    {{ return_code('upper(oc3.accom)', 'ssda903_oc3', 'accom', 'oc3.return_year') }} as accommodation_code,
    cast(null as {{ text_type() }}) as accommodation_suitable,
    {{ return_code('upper(oc3.activ)', 'ssda903_oc3', 'activ', 'oc3.return_year') }} as activity_code,
    null::date as pathway_plan_review_date,
    cast(null as {{ text_type() }}) as personal_adviser_key,
    cast(null as {{ text_type() }}) as team_id,
    cast(null as {{ text_type() }}) as worker_key,
    oc3.extract_date,
    'ssda903' as source_format
from {{ newest_return_year(source('raw', 'ssda903_oc3'), ['child']) }} as oc3
