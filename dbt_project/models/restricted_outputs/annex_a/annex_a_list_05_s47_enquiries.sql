-- List 5: one row per section 47 enquiry, with its initial child protection conference (the
-- latest ICPC of the enquiry). In the window when the enquiry started or its ICPC was held in
-- it. Counts in the last 12 months: the child's other enquiries started, and ICPCs held, in the
-- 12 months before this enquiry's start (this one excluded).
with icpc as (
    select la_code, s47_enquiry_key, icpc_date, is_outcome_cp_plan
    from (
        select
            la_code, s47_enquiry_key, icpc_date, is_outcome_cp_plan,
            row_number() over (
                partition by la_code, s47_enquiry_key order by icpc_date desc nulls last, icpc_key asc
            ) as icpc_rank
        from {{ ref('fct_icpcs') }}
        where s47_enquiry_key is not null
    ) as ranked
    where icpc_rank = 1
)

select
    s47.la_code,
    s47.child_key,
    {{ annex_a_child_columns('s47.s47_start_date') }},
    s47.s47_start_date,
    -- Unnecessary: the enquiry ended with no conference; blank while it is still open.
    case when icpc.icpc_date is not null then 'No'
        when s47.s47_end_date is not null then 'Yes'
    end as icpc_unnecessary,
    icpc.icpc_date,
    {{ annex_a_yes_no('icpc.is_outcome_cp_plan') }} as icpc_cp_plan,
    (
        select count(*) from {{ ref('fct_s47_enquiries') }} as other
        where other.la_code = s47.la_code and other.child_key = s47.child_key
            and other.s47_enquiry_key <> s47.s47_enquiry_key
            and other.s47_start_date >= {{ annex_a_months_before('s47.s47_start_date', 12) }}
            and other.s47_start_date <= s47.s47_start_date
    ) as s47_last_12_months,
    (
        select count(*) from {{ ref('fct_icpcs') }} as other
        where other.la_code = s47.la_code and other.child_key = s47.child_key
            and other.s47_enquiry_key is distinct from s47.s47_enquiry_key
            and other.icpc_date >= {{ annex_a_months_before('s47.s47_start_date', 12) }}
            and other.icpc_date <= s47.s47_start_date
    ) as icpcs_last_12_months,
    children.allocated_team,
    children.allocated_worker_key,
    s47.s47_start_date as window_from,
    coalesce(icpc.icpc_date, s47.s47_start_date) as window_to,
    s47.s47_enquiry_key as row_key
from {{ ref('fct_s47_enquiries') }} as s47
left join icpc on icpc.la_code = s47.la_code and icpc.s47_enquiry_key = s47.s47_enquiry_key
join {{ ref('annex_a_children') }} as children
    on children.la_code = s47.la_code and children.child_key = s47.child_key
