-- s47_nfa_rate: "S47 ending in period with s47e_s47_nfa = Y / S47 ending in period."
-- Rule 7: a null NFA flag is not NFA. is_met = ended in no further action (lower is better).
select
    la_code,
    's47_nfa_rate' as kpi_id,
    s47_end_date as reference_date,
    team_id,
    service_area_id,
    s47_enquiry_key,
    child_key,
    s47_start_date,
    s47_end_date,
    source_format,
    is_nfa as is_met,
    case when is_nfa then 'ended in no further action' else 'ended with further action' end as reason,
    is_nfa::int as numerator,
    1 as denominator
from {{ ref('fct_s47_enquiries') }}
where s47_end_date is not null
