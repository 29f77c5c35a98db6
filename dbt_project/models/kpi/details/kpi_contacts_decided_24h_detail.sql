-- contacts_decided_24h: "Contacts with cond_pathway = MASH received in period; met if
-- cond_decision_datetime - cond_received_datetime <= 24 h. Undecided contacts older than 24 h
-- at period end count as not met." (kpi_parameters: hours_allowed)
-- Rule 9: a contact still undecided in the extract counts (not met) in a period only if it was
-- already older than the limit at the end of that period (midnight after its last day), so it
-- counts in the periods containing its receipt date that end on or after counted_from_date.
-- A decided contact counts in every period containing its receipt date.
with allowed as (
    select {{ kpi_parameter('contacts_decided_24h', 'hours_allowed') }} as hours_allowed
),

contacts as (
    select
        contacts.*,
        allowed.hours_allowed,
        contacts.received_datetime + to_seconds((allowed.hours_allowed * 3600)::bigint) as decision_due_datetime
    from {{ ref('fct_contacts') }} as contacts
    cross join allowed
    where contacts.pathway = 'MASH'
)

select
    la_code,
    'contacts_decided_24h' as kpi_id,
    received_date as reference_date,
    -- older than the limit at the end of this day: periods ending on or after it count it
    case when is_decided then received_date else decision_due_datetime::date end as counted_from_date,
    team_id,
    service_area_id,
    contact_key,
    child_key,
    received_datetime,
    decision_datetime,
    decision_due_datetime,
    hours_to_decision,
    hours_allowed,
    coalesce(hours_to_decision <= hours_allowed, false) as is_met,
    case when not is_decided
             then 'not decided; over the ' || hours_allowed::int || ' hours allowed from '
                  || strftime(decision_due_datetime, '%Y-%m-%d %H:%M')
         else 'decided in ' || round(hours_to_decision, 2) || ' hours'
              || case when hours_to_decision > hours_allowed
                      then ', over the ' || hours_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(hours_to_decision <= hours_allowed, false)::int as numerator,
    1 as denominator
from contacts
