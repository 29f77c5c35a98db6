-- Core group meetings of child protection plans (local extract).
select
    la_code,
    cogr_id as core_group_key,
    cogr_person_id as child_key,
    cogr_cp_plan_id as cp_plan_key,
    cogr_meeting_date::date as meeting_date,
    cogr_record_distributed_date::date as record_distributed_date,
    extract_date
from {{ source('raw', 'ext_core_groups') }}
