-- One row per pre-proceedings record, with the calendar days from the decision to conclusion
-- (step-down or issue: prep_agree_stepdown_issue_date, rule 28). No team is recorded: the
-- child's allocated team on the conclusion date (the decision date while not concluded).
with records as (
    select
        *,
        coalesce(concluded_date, decision_date) as attribution_date,
        null::{{ text_type() }} as recorded_team
    from {{ ref('stg_ssd__pre_proceedings') }}
),

attributed as (
    select * from {{ attribute_to_team('records', 'recorded_team', 'attribution_date') }}
)

select
    la_code,
    pre_proceedings_key,
    child_key,
    plo_family_key,
    team_id,
    service_area_id,
    decision_date,
    initial_meeting_date,
    concluded_date,
    outcome,
    -- an end before its start counts as 0 days (rule 6)
    -- (greatest() ignores NULLs, so a missing date is tested first)
    case when decision_date is not null and concluded_date is not null
            then greatest({{ days_between('decision_date', 'concluded_date') }}, 0)
    end as days_to_conclusion,
    extract_date
from attributed
