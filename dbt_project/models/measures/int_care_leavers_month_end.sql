-- Care leavers counted at each month end (rule 25: aged 17 to 21 then, via fct_care_leavers'
-- counted_from / counted_until), with their latest recorded status. Team: the allocated team at
-- the month end, else the team recorded on the care leaver record (else -1). Shared by the
-- three care-leaver measures, which differ only in the status they judge.
select
    leavers.la_code,
    leavers.snapshot_date,
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
    leavers.is_in_touch,
    leavers.is_in_eet,
    leavers.is_suitably_accommodated,
    leavers.source_format
from {{ open_at_month_ends(ref('fct_care_leavers'), 'counted_from', 'counted_until') }} as leavers
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = leavers.la_code
        and allocated.snapshot_date = leavers.snapshot_date
        and allocated.child_key = leavers.child_key
