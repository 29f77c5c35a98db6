-- care_leavers_in_touch: people in ssd_care_leavers aged 17 to 21 at period end (rule 25), with
-- their latest recorded OC3-style status; in touch = clea_care_leaver_in_touch 'YES' (OC3 codes
-- NO, DIED, REFU, NREQ, RHOM or nothing = not met).
-- Team: the allocated team at the month end, else the team recorded on the care leaver record
-- (else -1).
select
    leavers.la_code,
    'care_leavers_in_touch' as kpi_id,
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
    leavers.is_in_touch as is_met,
    case when leavers.is_in_touch
            then 'in touch'
        else 'not in touch (' || coalesce(leavers.in_touch_code, 'not recorded') || ')'
    end as reason,
    leavers.is_in_touch::int as numerator,
    1 as denominator
from {{ ref('int_care_leavers_month_end') }} as leavers
