-- case_supervision_monthly: "Children open at month end: met if >= 1 CASE supervision with
-- supv_person_id = child dated in the month." Rule 29: open as rule 17 (open CIN episode, CP
-- plan or looked-after episode); quarters and years count child-months (snapshot_date = the
-- month's last day). Team (rule 35): the child's allocated team at the month end, else the
-- team recorded on the open CIN plan, then on the open referral (latest-starting), else '-1'.
with case_supervisions as (
    select
        la_code, child_key, supervision_month_start,
        count(*) as case_supervisions, max(supervision_date) as latest_supervision_date
    from {{ ref('fct_supervisions') }}
    where supervision_type = 'CASE'
        and child_key is not null
    group by all
),

open_children as (
    select
        status.la_code, status.snapshot_date, status.child_key, status.worker_key,
        {{ snapshot_team('status', ['cin_plan', 'referral']) }},
        status.is_cin_open, status.is_cp_open, status.is_cla_open as is_looked_after,
        {{ period_start('month', 'status.snapshot_date') }} as month_start
    from {{ ref('fct_child_status_month_end') }} as status
    where status.is_open
)

select
    open_children.la_code,
    'case_supervision_monthly' as kpi_id,
    open_children.snapshot_date,
    open_children.team_id,
    open_children.service_area_id,
    open_children.child_key,
    open_children.worker_key,
    open_children.is_cin_open,
    open_children.is_cp_open,
    open_children.is_looked_after,
    coalesce(supervised.case_supervisions, 0) as case_supervisions,
    supervised.latest_supervision_date,
    coalesce(supervised.case_supervisions, 0) >= 1 as is_met,
    case when supervised.case_supervisions >= 1
            then supervised.case_supervisions
                || ' case supervision(s) in the month, latest '
                || supervised.latest_supervision_date
        else 'no case supervision in the month'
    end as reason,
    (coalesce(supervised.case_supervisions, 0) >= 1)::int as numerator,
    1 as denominator
from open_children
left join case_supervisions as supervised
    on supervised.la_code = open_children.la_code
        and supervised.child_key = open_children.child_key
        and supervised.supervision_month_start = open_children.month_start
