-- care_leavers_suitable_accommodation: people in ssd_care_leavers aged 17 to 21 at period end
-- (rule 25), with their latest recorded OC3-style status; suitable = the suitability flag (Y, 1,
-- YES, SUITABLE) or, when it is empty, an SSDA903 accommodation code ending in 1.
-- Team: the allocated team at the month end, else the team recorded on the care leaver record
-- (else -1).
select
    leavers.la_code,
    'care_leavers_suitable_accommodation' as kpi_id,
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
    leavers.is_suitably_accommodated as is_met,
    case when nullif(leavers.accommodation_suitable, '') is not null
            then 'suitability recorded ' || leavers.accommodation_suitable
        else 'no suitability recorded; accommodation code ' || coalesce(leavers.accommodation_code, 'not recorded')
    end as reason,
    leavers.is_suitably_accommodated::int as numerator,
    1 as denominator
from {{ ref('int_care_leavers_month_end') }} as leavers
