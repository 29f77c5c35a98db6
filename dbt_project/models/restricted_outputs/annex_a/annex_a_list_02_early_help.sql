-- List 2: one row per early help episode (the contract's record of an early help assessment),
-- in the window when it was open at any point of it. Age at the start.
select
    eh.la_code,
    eh.child_key,
    {{ annex_a_child_columns('eh.start_date') }},
    eh.start_date as assessment_start_date,
    eh.end_date as assessment_completion_date,
    coalesce(eh.organisation, 'Not recorded') as organisation,
    eh.start_date as window_from,
    eh.end_date as window_to,
    eh.early_help_episode_key as row_key
from {{ ref('fct_early_help_episodes') }} as eh
join {{ ref('annex_a_children') }} as children
    on children.la_code = eh.la_code and children.child_key = eh.child_key
