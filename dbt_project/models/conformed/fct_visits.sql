-- Statutory visits, one row per visit: to children on a CP plan (visit_type cp), children in
-- need (cin) and looked-after children (cla). Visits belong to the child, not to a plan
-- (rule 14); only visits with the child seen count towards the visit measures (is_child_seen,
-- null = not seen, rule 7). Each measure selects its visit type.
select
    la_code,
    visit_key,
    'cp' as visit_type,
    child_key,
    cp_plan_key,
    null::{{ text_type() }} as period_of_care_key,
    visit_date,
    is_child_seen,
    is_child_seen_alone,
    is_bedroom_seen
from {{ ref('stg_ssd__cp_visits') }}

union all

select
    la_code,
    visit_key,
    'cin',
    child_key,
    null,
    null,
    visit_date,
    is_child_seen,
    is_child_seen_alone,
    is_bedroom_seen
from {{ ref('stg_ssd__cin_visits') }}

union all

select
    la_code,
    cla_visit_key,
    'cla',
    child_key,
    null,
    period_of_care_key,
    visit_date,
    is_child_seen,
    is_child_seen_alone,
    null
from {{ ref('stg_ssd__cla_visits') }}
