-- Front-door decisions on contacts (local extract): pathway (MASH or Early Help Hub), when the
-- contact was received and decided (clock times kept: the measures are in hours, rule 3), the
-- decision and the deciding team.
select
    la_code,
    cond_contact_id as contact_key,
    cond_received_datetime as received_datetime,
    cond_decision_datetime as decision_datetime,
    cond_pathway as pathway,
    cond_decision as decision,
    cond_team_id as team_id,
    extract_date
from {{ source('raw', 'ext_contact_decisions') }}
