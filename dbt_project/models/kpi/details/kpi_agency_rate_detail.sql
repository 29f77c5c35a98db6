-- agency_rate: "agency FTE / (agency + employed FTE)" (DfE workforce census), at period end.
-- Rule 31: social-work roles only; employed = permanent + fixed term. One row per social-work
-- ext_staff row in post at the month end (rule 2): numerator = its FTE if agency, else 0;
-- denominator = its FTE. Team: the staff row's team.
select
    la_code,
    'agency_rate' as kpi_id,
    month_end as snapshot_date,
    team_id,
    service_area_id,
    staff_key,
    worker_key,
    role,
    employment,
    fte,
    source_format,
    is_agency as is_met,
    lower(employment) || ' ' || lower(role) || ', ' || fte || ' FTE' as reason,
    case when is_agency then fte else 0 end as numerator,
    fte as denominator
from {{ ref('fct_staff_months') }}
where is_in_post_at_month_end
    and is_social_work_role
    and (is_agency or is_employed)
