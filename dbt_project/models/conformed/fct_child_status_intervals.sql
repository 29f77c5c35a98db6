-- Every interval a child is open to children's social care, one row per record: CIN episode
-- (referral), CIN plan, CP plan, looked-after episode, and the legal status held. Open at any
-- date d when start_date <= d and (end_date is null or end_date > d) (rule 1): the status of
-- every child on any day is one filter on this table, and fct_child_status_month_end is that
-- filter at every month end. The allocated worker and team at d come from fct_allocations by
-- the same rule. recorded_team_id: the team recorded on the record (referral: the referral
-- team; CIN plan: the plan's team; CP plans, looked-after episodes and legal statuses record
-- none, rule 35), the fallback of snapshot measures for a child with no open allocation.
with intervals as (
    select
        la_code, child_key, 'cin_episode' as status, referral_key as record_key,
        null::{{ text_type() }} as legal_status_code, referral_date as start_date, close_date as end_date,
        recorded_team_id
    from {{ ref('fct_referrals') }}

    union all

    select la_code, child_key, 'cin_plan', cin_plan_key, null, plan_start_date, plan_end_date, team_id
    from {{ ref('fct_cin_plans') }}

    union all

    select la_code, child_key, 'cp_plan', cp_plan_key, null, plan_start_date, plan_end_date, null
    from {{ ref('fct_cp_plans') }}

    union all

    select la_code, child_key, 'cla_episode', cla_episode_key, null, episode_start_date, episode_ceased_date, null
    from {{ ref('fct_cla_episodes') }}

    union all

    select la_code, child_key, 'legal_status', legal_status_key, legal_status_code, start_date, end_date, null
    from {{ ref('fct_legal_statuses') }}
)

select
    intervals.la_code,
    intervals.child_key,
    intervals.status,
    intervals.record_key,
    intervals.legal_status_code,
    intervals.start_date,
    intervals.end_date,
    -- the recorded team at team level (rule 37: a service area with teams -> '-1'); null when
    -- none is recorded or the id is unknown (the measure falls back further, rule 35)
    case when teams.team_id is not null then {{ team_level('teams') }} end as recorded_team_id,
    teams.service_area_id as recorded_service_area_id
from intervals
left join {{ ref('dim_team') }} as teams
    on teams.la_code = intervals.la_code
        and teams.team_id = intervals.recorded_team_id
