-- caseload_over_20: "Case-holding staff in post at period end with more than 20 open allocated
-- children / all case-holding staff in post" (kpi_parameters: caseload_limit). is_met = the
-- worker is over the limit (the numerator of this lower-is-better measure).
select
    la_code,
    'caseload_over_20' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    worker_key,
    staff_key,
    role,
    fte,
    open_children,
    caseload_limit,
    is_over_limit as is_met,
    open_children || ' children allocated, '
    || case when is_over_limit then 'over' else 'not over' end
    || ' the limit of ' || caseload_limit::int as reason,
    is_over_limit::int as numerator,
    1 as denominator
from {{ ref('kpi_caseload_by_worker') }}
where is_case_holding
