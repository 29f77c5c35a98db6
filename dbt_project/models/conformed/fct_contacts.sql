-- One row per contact (ssd_contacts), with its front-door decision when the local extract has
-- one (pathway MASH or EHH, received and decided date-times, decision), the hours from receipt
-- to decision (an end before its start counts as 0, rule 6) and the team it is attributed to:
-- the deciding team recorded on the decision, else the child's allocated team on the date the
-- contact was received, else '-1'.
with contacts as (
    select
        contacts.la_code,
        contacts.contact_key,
        contacts.child_key,
        contacts.contact_datetime,
        contacts.contact_source_code,
        decisions.pathway,
        decisions.received_datetime,
        decisions.decision_datetime,
        decisions.decision,
        decisions.team_id,
        coalesce(decisions.received_datetime, contacts.contact_datetime)::date as attribution_date
    from {{ ref('stg_ssd__contacts') }} as contacts
    left join {{ ref('stg_ext__contact_decisions') }} as decisions
        on decisions.la_code = contacts.la_code
            and decisions.contact_key = contacts.contact_key
)

select
    la_code,
    contact_key,
    child_key,
    team_id,
    service_area_id,
    recorded_team_id,
    contact_datetime,
    contact_source_code,
    pathway,
    received_datetime,
    received_datetime::date as received_date,
    decision_datetime,
    decision_datetime::date as decision_date,
    decision,
    decision_datetime is not null as is_decided,
    -- NULL while undecided (greatest() would ignore a NULL argument, so no greatest here)
    case when decision_datetime < received_datetime then 0.0
        else {{ seconds_between('received_datetime', 'decision_datetime') }} / 3600.0
    end as hours_to_decision
from {{ attribute_to_team('contacts', 'team_id', 'attribution_date') }}
