-- cla_review_iro_consultation: LAC reviews held in the period; met if the review's admin record
-- (ext_cla_review_admin) has clrx_iro_consulted = Y. No admin row or no flag = not met (rules 7, 22).
select
    la_code,
    'cla_review_iro_consultation' as kpi_id,
    review_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    cla_review_key,
    period_of_care_key,
    review_date,
    has_admin_record,
    source_format,
    is_iro_consulted as is_met,
    case
        when not has_admin_record then 'no review administration record'
        when is_iro_consulted then 'IRO consulted the child before the review'
        else 'IRO consultation not recorded'
    end as reason,
    is_iro_consulted::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }}
