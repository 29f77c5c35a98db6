-- nqsw_caseload_protected: "NQSWs in post at period end with caseload <= the protected level
-- (parameter, default 12)." Rule 30: all NQSWs in post, case-holding or not.
select
    la_code,
    'nqsw_caseload_protected' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    worker_key,
    staff_key,
    role,
    fte,
    open_children,
    protected_limit,
    is_within_protected_limit as is_met,
    open_children || ' children allocated, '
    || case when is_within_protected_limit then 'within' else 'over' end
    || ' the protected caseload of ' || protected_limit::int as reason,
    is_within_protected_limit::int as numerator,
    1 as denominator
from {{ ref('kpi_caseload_by_worker') }}
where is_nqsw
