-- Core group meetings of child protection plans (local extract).
select
    la_code,
    {{ pseudonym('core_group', 'la_code', 'cogr_id') }} as core_group_key,
    {{ pseudonym('person', 'la_code', 'cogr_person_id') }} as child_key,
    {{ pseudonym('cp_plan', 'la_code', 'cogr_cp_plan_id') }} as cp_plan_key,
    cogr_meeting_date::date as meeting_date,
    cogr_record_distributed_date::date as record_distributed_date,
    extract_date
from {{ source('raw', 'ext_core_groups') }}
