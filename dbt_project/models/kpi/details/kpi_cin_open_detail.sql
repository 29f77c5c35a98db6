-- cin_open: distinct children with an open ssd_cin_episodes referral at period end (not
-- closed: referral date <= date, close date null or > date). One row per child and month end;
-- the referral shown is the earliest open one. Team (rule 35): the allocated team at the month
-- end, else the team recorded on the latest-starting open referral, else '-1'.
select
    status.la_code,
    'cin_open' as kpi_id,
    status.snapshot_date,
    {{ snapshot_team('status', ['referral']) }},
    status.child_key,
    status.referral_key,
    status.referral_date,
    status.worker_key,
    null::boolean as is_met,
    'referral of ' || {{ format_date('status.referral_date', '%Y-%m-%d') }} || ' open' as reason,
    1 as numerator,
    null::integer as denominator
from {{ ref('fct_child_status_month_end') }} as status
where status.is_cin_open
