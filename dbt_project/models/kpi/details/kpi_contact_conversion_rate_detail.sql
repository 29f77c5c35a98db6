-- contact_conversion_rate: "MASH contacts decided in period with cond_decision = REFERRAL /
-- MASH contacts decided in period." Rule 9: counted by the date of the decision, whenever the
-- contact was received. is_met = the decision was REFERRAL (a target range, 18-22%).
select
    la_code,
    'contact_conversion_rate' as kpi_id,
    decision_date as reference_date,
    team_id,
    service_area_id,
    contact_key,
    child_key,
    received_datetime,
    decision_datetime,
    decision,
    coalesce(decision = 'REFERRAL', false) as is_met,
    'decided ' || coalesce(decision, 'with no decision recorded')
    || case when coalesce(decision = 'REFERRAL', false) then ': converted to a referral'
        else ': not a referral'
    end as reason,
    coalesce(decision = 'REFERRAL', false)::int as numerator,
    1 as denominator
from {{ ref('fct_contacts') }}
where pathway = 'MASH'
    and decision_datetime is not null
