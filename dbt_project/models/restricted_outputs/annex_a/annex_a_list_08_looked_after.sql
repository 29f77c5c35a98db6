-- List 8: one row per period of care, in the window when open at any point of it. Age at the
-- data date. Facts "latest" and "in the last 12 months" are taken at the period's end or the
-- data date, whichever is earlier (`as_of`); the 12 months end at the data date.
-- Second period within 12 months: an earlier period of care of the child that ended in the 12
-- months before this one started.
with periods as (
    select
        p.*, authority.as_at_date,
        least(coalesce(p.end_date, authority.as_at_date), authority.as_at_date) as as_of,
        {{ annex_a_months_before('authority.as_at_date', 12) }} as year_before
    from {{ ref('fct_periods_of_care') }} as p
    join {{ ref('dim_authority') }} as authority on authority.la_code = p.la_code
),

latest_episode as (
    select
        e.la_code, e.period_of_care_key,
        {{ latest_value('e.primary_need_code', 'e.episode_start_date') }} as primary_need_code,
        max(e.last_iro_contact_date) as last_iro_contact_date
    from {{ ref('fct_cla_episodes') }} as e
    group by all
),

legal as (
    select
        p.la_code, p.period_of_care_key,
        {{ latest_value('ls.legal_status_code', 'ls.start_date') }} as legal_status_code,
        max(ls.start_date) as legal_status_start_date
    from periods as p
    join {{ ref('fct_legal_statuses') }} as ls
        on ls.la_code = p.la_code and ls.child_key = p.child_key and ls.start_date <= p.as_of
    group by all
),

reviews as (
    select la_code, period_of_care_key, max(review_date) as last_review_date
    from {{ ref('fct_cla_reviews') }}
    group by all
),

visits as (
    select p.la_code, p.period_of_care_key, max(v.visit_date) as last_visit_date
    from periods as p
    join {{ ref('fct_visits') }} as v
        on v.la_code = p.la_code and v.child_key = p.child_key and v.visit_type = 'cla'
            and v.visit_date >= p.start_date and v.visit_date <= p.as_of
    group by all
),

placements as (
    select
        p.la_code, p.period_of_care_key,
        count(
            *) filter (where pl.placement_start_date <= p.as_at_date
        and (pl.placement_end_date is null or pl.placement_end_date > p.year_before))
            as placements_last_12_months,
        max(pl.placement_start_date) as latest_start,
        {{ latest_value('pl.placement_type', 'pl.placement_start_date') }} as placement_type,
        {{ latest_value('pl.placement_provider', 'pl.placement_start_date') }} as placement_provider
    from periods as p
    join {{ ref('fct_placements') }} as pl
        on pl.la_code = p.la_code and pl.period_of_care_key = p.period_of_care_key
            and pl.placement_start_date <= p.as_of
    group by all
),

missing as (
    select
        m.la_code, m.child_key,
        count(*) filter (where m.missing_type = 'M') as missing_count,
        count(*) filter (where m.missing_type = 'A') as absent_count,
        {{ latest_value('m.recorded_rhi_offered', 'm.missing_start_datetime') }} filter (where m.missing_type = 'M')
            as rhi_offered,
        {{ latest_value('m.recorded_rhi_accepted', 'm.missing_start_datetime') }} filter (where m.missing_type = 'M')
            as rhi_accepted,
        {{ latest_value('m.return_interview_count', 'm.missing_start_datetime') }} filter (where m.missing_type = 'M')
            as rhi_count
    from {{ ref('fct_missing_episodes') }} as m
    join {{ ref('dim_authority') }} as authority on authority.la_code = m.la_code
    where m.missing_start_datetime::date > {{ annex_a_months_before('authority.as_at_date', 12) }}
        and m.missing_start_datetime::date <= authority.as_at_date
    group by all
)

select
    p.la_code,
    p.child_key,
    {{ annex_a_child_columns('children.data_date') }},
    -- Known only where the SSDA903 UASC table was delivered (dim_child.was_uasc); blank otherwise.
    {{ annex_a_yes_no(
        'children.was_uasc and (children.uasc_ceased_date is null or children.uasc_ceased_date > p.year_before)',
        lettered=true
    ) }}
        as uasc_last_12_months,
    p.start_date as period_start_date,
    {{ annex_a_code('primary_need', 'latest_episode.primary_need_code') }} as category_of_need,
    case when exists (
                select 1 from {{ ref('fct_periods_of_care') }} as earlier
                where earlier.la_code = p.la_code and earlier.child_key = p.child_key
                    and earlier.period_of_care_key <> p.period_of_care_key
                    and earlier.end_date <= p.start_date
                    and earlier.end_date >= {{ annex_a_months_before('p.start_date', 12) }}
            )
            then 'a) Yes'
        else 'b) No'
    end as second_period_12_months,
    legal.legal_status_start_date,
    {{ annex_a_code('legal_status', 'legal.legal_status_code') }} as legal_status,
    reviews.last_review_date,
    visits.last_visit_date,
    latest_episode.last_iro_contact_date,
    coalesce(placements.placements_last_12_months, 0) as placements_last_12_months,
    p.end_date as ceased_date,
    {{ annex_a_code('cla_episode_ceased_reason', 'p.ceased_reason') }} as ceased_reason,
    placements.latest_start as placement_start_date,
    {{ annex_a_code('placement_type', 'placements.placement_type') }} as placement_type,
    {{ annex_a_code('placement_provider', 'placements.placement_provider') }} as placement_provider,
    coalesce(missing.missing_count, 0) as missing_last_12_months,
    coalesce(missing.absent_count, 0) as absent_last_12_months,
    -- The recorded answer (SSDA903), else whether a return interview is recorded (SSD).
    coalesce(
        case upper(missing.rhi_offered) when 'Y' then 'Yes' when 'N' then 'No' end,
        case when missing.rhi_count is not null then {{ annex_a_yes_no('missing.rhi_count > 0') }} end
    ) as rhi_offered,
    case upper(missing.rhi_accepted) when 'Y' then 'Yes' when 'N' then 'No' end as rhi_accepted,
    children.allocated_team,
    children.allocated_worker_key,
    p.start_date as window_from,
    p.end_date as window_to,
    p.period_of_care_key as row_key
from periods as p
join {{ ref('annex_a_children') }} as children
    on children.la_code = p.la_code and children.child_key = p.child_key
left join
    latest_episode
    on latest_episode.la_code = p.la_code and latest_episode.period_of_care_key = p.period_of_care_key
left join legal on legal.la_code = p.la_code and legal.period_of_care_key = p.period_of_care_key
left join reviews on reviews.la_code = p.la_code and reviews.period_of_care_key = p.period_of_care_key
left join visits on visits.la_code = p.la_code and visits.period_of_care_key = p.period_of_care_key
left join placements on placements.la_code = p.la_code and placements.period_of_care_key = p.period_of_care_key
left join missing on missing.la_code = p.la_code and missing.child_key = p.child_key
