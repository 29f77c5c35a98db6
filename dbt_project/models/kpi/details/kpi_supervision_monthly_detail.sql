-- supervision_monthly: "Staff in post for the whole calendar month (ext_staff): met if >= 1
-- PERSONAL supervision dated in the month. Published overall and split operational / business
-- support. For quarters and years: staff-months." Rule 29: every staff row in post for the
-- whole month, all roles. One row per staff row and month for supervision_monthly, and again
-- for its split: supervision_monthly_operational (staf_operational = Y) or
-- supervision_monthly_business_support (everyone else). snapshot_date = the month's last day;
-- quarters and years sum the months' rows (staff-months).
with personal_supervisions as (
    select
        la_code, supervisee_worker_key, supervision_month_start,
        count(*) as personal_supervisions, max(supervision_date) as latest_supervision_date
    from {{ ref('fct_supervisions') }}
    where supervision_type = 'PERSONAL'
    group by all
),

staff_months as (
    select
        staff.*,
        coalesce(supervised.personal_supervisions, 0) as personal_supervisions,
        supervised.latest_supervision_date
    from {{ ref('fct_staff_months') }} as staff
    left join personal_supervisions as supervised
        on supervised.la_code = staff.la_code
            and supervised.supervisee_worker_key = staff.worker_key
            and supervised.supervision_month_start = staff.month_start
    where staff.is_in_post_whole_month
),

by_measure as (
    select
        *, {{ unnest_values([
            "'supervision_monthly'",
            "case when is_operational then 'supervision_monthly_operational'
                else 'supervision_monthly_business_support'
            end"
        ]) }} as kpi_id
    from staff_months
)

select
    la_code,
    kpi_id,
    month_end as snapshot_date,
    team_id,
    service_area_id,
    staff_key,
    worker_key,
    role,
    is_operational,
    month_start,
    personal_supervisions,
    latest_supervision_date,
    personal_supervisions >= 1 as is_met,
    case when personal_supervisions >= 1
            then personal_supervisions || ' personal supervision(s) in the month, latest ' || latest_supervision_date
        else 'no personal supervision in the month'
    end as reason,
    (personal_supervisions >= 1)::int as numerator,
    1 as denominator
from by_measure
