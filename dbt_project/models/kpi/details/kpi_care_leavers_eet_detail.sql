-- care_leavers_eet: people in ssd_care_leavers aged 17 to 21 at period end (rule 25), with their
-- latest recorded OC3-style status; EET = activity F1-F5 or P1-P5.
-- Team: the allocated team at the month end, else the team recorded on the care leaver record
-- (else -1).
select
    leavers.la_code,
    'care_leavers_eet' as kpi_id,
    leavers.snapshot_date,
    leavers.team_id,
    leavers.service_area_id,
    leavers.child_key,
    leavers.care_leaver_key,
    leavers.worker_key,
    leavers.in_touch_code,
    leavers.accommodation_code,
    leavers.accommodation_suitable,
    leavers.activity_code,
    leavers.latest_contact_date,
    leavers.source_format,
    leavers.is_in_eet as is_met,
    case when leavers.is_in_eet
            then 'in education, employment or training (' || leavers.activity_code || ')'
        else 'not in education, employment or training (' || coalesce(leavers.activity_code, 'not recorded') || ')'
    end as reason,
    leavers.is_in_eet::int as numerator,
    1 as denominator
from {{ ref('int_care_leavers_month_end') }} as leavers
