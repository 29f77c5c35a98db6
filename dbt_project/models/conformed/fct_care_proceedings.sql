-- One row per set of care proceedings, with the calendar days from issue to conclusion.
-- No team is recorded: the child's allocated team on the conclusion date (issue date while
-- open), else '-1'.
with proceedings as (
    select
        *,
        coalesce(concluded_date, issued_date) as attribution_date,
        null::{{ text_type() }} as recorded_team
    from {{ ref('stg_ext__care_proceedings') }}
),

attributed as (
    select * from {{ attribute_to_team('proceedings', 'recorded_team', 'attribution_date') }}
)

select
    la_code,
    care_proceedings_key,
    child_key,
    team_id,
    service_area_id,
    issued_date,
    concluded_date,
    outcome,
    -- an end before its start counts as 0 days (rule 6)
    -- (greatest() ignores NULLs, so a missing date is tested first)
    case when issued_date is not null and concluded_date is not null
            then greatest({{ days_between('issued_date', 'concluded_date') }}, 0)
    end as days_to_conclusion,
    extract_date
from attributed
