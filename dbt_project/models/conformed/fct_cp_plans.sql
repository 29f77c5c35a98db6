-- One row per child protection plan, with its duration and the child's earlier plans
-- (catalogue rule 13): an earlier plan is one of the same child with an earlier start; it
-- counts for "within 2 years" only once ended, 0 to N days before this plan's start.
with plans as (
    select * from {{ ref('int_cp_plans__sources') }}
),

earlier_plans as (
    -- each plan paired with the same child's earlier-starting plans (a handful per child)
    select
        plans.la_code,
        plans.cp_plan_key,
        count(*) as earlier_plan_count,
        -- the most recent ending of an earlier plan on or before this start
        max(earlier.plan_end_date) filter (
            where earlier.plan_end_date <= plans.plan_start_date
        ) as previous_plan_end_date,
        {{ latest_value('earlier.cp_plan_key', 'earlier.plan_end_date') }} filter (
            where earlier.plan_end_date <= plans.plan_start_date
        ) as previous_plan_key
    from plans
    join plans as earlier
        on earlier.la_code = plans.la_code
            and earlier.child_key = plans.child_key
            and earlier.plan_start_date < plans.plan_start_date
    group by plans.la_code, plans.cp_plan_key
)

select
    plans.la_code,
    plans.cp_plan_key,
    plans.child_key,
    plans.referral_key,
    plans.icpc_key,
    plans.plan_start_date,
    plans.plan_end_date,
    -- calendar days; an end before the start counts as 0 (rule 6)
    case when plans.plan_end_date is not null
            then greatest({{ days_between('plans.plan_start_date', 'plans.plan_end_date') }}, 0)
    end as plan_duration_days,
    plans.initial_category,
    plans.latest_category,
    plans.is_other_la_plan,
    row_number() over (
        partition by plans.la_code, plans.child_key
        order by plans.plan_start_date nulls last, plans.cp_plan_key nulls last
    ) as plan_number,
    coalesce(earlier_plans.earlier_plan_count, 0) as earlier_plan_count,
    earlier_plans.previous_plan_key,
    earlier_plans.previous_plan_end_date,
    {{ days_between('earlier_plans.previous_plan_end_date', 'plans.plan_start_date') }} as days_since_previous_plan_end,
    plans.source_format
from plans
left join earlier_plans
    on earlier_plans.la_code = plans.la_code
        and earlier_plans.cp_plan_key = plans.cp_plan_key
