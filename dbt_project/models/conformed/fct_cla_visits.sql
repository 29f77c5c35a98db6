-- Statutory visits to looked-after children; they belong to the child (person id).
select
    la_code,
    cla_visit_key,
    child_key,
    period_of_care_key,
    visit_date,
    is_child_seen,
    is_child_seen_alone
from {{ ref('stg_ssd__cla_visits') }}
