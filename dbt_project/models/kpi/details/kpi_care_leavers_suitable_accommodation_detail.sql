-- care_leavers_suitable_accommodation: people in ssd_care_leavers aged 17 to 21 at period end
-- (rule 25), with their latest recorded OC3-style status; suitable = the suitability flag (Y, 1,
-- YES, SUITABLE) or, when it is empty, an SSDA903 accommodation code ending in 1.
-- Team: the allocated team at the month end, else the team recorded on the care leaver record
-- (else -1).
select
    month_ends.la_code,
    'care_leavers_suitable_accommodation' as kpi_id,
    month_ends.snapshot_date,
    coalesce(allocated.team_id, leavers.team_id) as team_id,
    coalesce(allocated.service_area_id, leavers.service_area_id) as service_area_id,
    leavers.child_key,
    leavers.care_leaver_key,
    coalesce(allocated.worker_key, leavers.worker_key) as worker_key,
    leavers.in_touch_code,
    leavers.accommodation_code,
    leavers.accommodation_suitable,
    leavers.activity_code,
    leavers.latest_contact_date,
    leavers.is_suitably_accommodated as is_met,
    case when nullif(leavers.accommodation_suitable, '') is not null
         then 'suitability recorded ' || leavers.accommodation_suitable
         else 'no suitability recorded; accommodation code ' || coalesce(leavers.accommodation_code, 'not recorded')
    end as reason,
    leavers.is_suitably_accommodated::int as numerator,
    1 as denominator
from {{ ref('int_month_ends') }} as month_ends
join {{ ref('fct_care_leavers') }} as leavers
    on leavers.la_code = month_ends.la_code
   and leavers.counted_from <= month_ends.snapshot_date
   and leavers.counted_until > month_ends.snapshot_date
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = month_ends.la_code
   and allocated.snapshot_date = month_ends.snapshot_date
   and allocated.child_key = leavers.child_key
