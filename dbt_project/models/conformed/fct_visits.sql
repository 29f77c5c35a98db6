-- Statutory visits to children in need and children on a CP plan, one row per visit.
-- Visits belong to the child, not to a plan (rule 14); only visits with the child seen count
-- towards the visit measures (is_child_seen, null = not seen, rule 7).
select
    la_code,
    visit_key,
    'cp' as visit_type,
    child_key,
    cp_plan_key,
    visit_date,
    is_child_seen,
    is_child_seen_alone,
    is_bedroom_seen
from {{ ref('stg_ssd__cp_visits') }}

union all

select
    la_code,
    visit_key,
    'cin' as visit_type,
    child_key,
    null as cp_plan_key,
    visit_date,
    is_child_seen,
    is_child_seen_alone,
    is_bedroom_seen
from {{ ref('stg_ssd__cin_visits') }}
