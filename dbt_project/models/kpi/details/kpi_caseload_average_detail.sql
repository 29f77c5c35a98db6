-- caseload_average: "At period end: for case-holding staff in post (staf_case_holding = Y),
-- distinct children with an open allocation (ssd_involvements) divided by the FTE of those
-- staff; by team and service area." Rule 30: missing FTE = 1.0. One row per case-holding worker
-- in post at the month end: numerator = the children counted for them (each child once, for
-- the worker of the child's latest-starting open allocation), denominator = their FTE.
-- Team: the worker's team (ext_staff).
select
    la_code,
    'caseload_average' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    worker_key,
    staff_key,
    role,
    fte,
    open_children,
    children_in_average,
    null::boolean as is_met,
    children_in_average || ' children counted (' || open_children || ' allocated) on ' || fte || ' FTE' as reason,
    children_in_average as numerator,
    fte as denominator
from {{ ref('kpi_caseload_by_worker') }}
where is_case_holding
