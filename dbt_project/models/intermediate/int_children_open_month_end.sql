-- Children open at every published month end (rule 17): an open CIN episode, CP plan or
-- looked-after episode (start <= d and (end null or end > d), rule 1). One row per child and
-- month end. Read from the raw sources because the shared child-status fact is not built yet.
with open_intervals as (
    select la_code, {{ pseudonym('person', 'la_code', 'cine_person_id') }} as child_key,
           cine_referral_date::date as start_date, cine_close_date::date as end_date, 'CIN' as open_as
    from {{ source('raw', 'ssd_cin_episodes') }}
    union all
    select la_code, {{ pseudonym('person', 'la_code', 'cppl_person_id') }},
           cppl_cp_plan_start_date::date, cppl_cp_plan_end_date::date, 'CP'
    from {{ source('raw', 'ssd_cp_plans') }}
    union all
    select la_code, {{ pseudonym('person', 'la_code', 'clae_person_id') }},
           clae_cla_episode_start_date::date, clae_cla_episode_ceased_date::date, 'CLA'
    from {{ source('raw', 'ssd_cla_episodes') }}
)

select
    month_ends.la_code,
    month_ends.snapshot_date,
    open_intervals.child_key,
    bool_or(open_intervals.open_as = 'CIN') as is_cin_open,
    bool_or(open_intervals.open_as = 'CP') as is_cp_open,
    bool_or(open_intervals.open_as = 'CLA') as is_looked_after
from {{ ref('int_month_ends') }} as month_ends
join open_intervals
    on open_intervals.la_code = month_ends.la_code
   and open_intervals.start_date <= month_ends.snapshot_date
   and (open_intervals.end_date is null or open_intervals.end_date > month_ends.snapshot_date)
group by all
