-- One row per core group meeting of a child protection plan, with the working days from the
-- meeting to the distribution of its record (NULL while not distributed). Core groups belong
-- to the child, not to a plan id (rule 14): the recorded plan is kept for reference.
with core_groups as (
    select * from {{ ref('stg_ext__core_groups') }}
)

select
    la_code,
    core_group_key,
    child_key,
    cp_plan_key,
    meeting_date,
    record_distributed_date,
    case when record_distributed_date is not null then
            {{ working_days_between('meeting_date', 'record_distributed_date') }}
    end as working_days_to_distribution
from core_groups
where meeting_date is not null
