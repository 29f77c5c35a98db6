-- turnover_rate: "leavers' FTE in the 12 months to period end / employed FTE at period end"
-- (DfE workforce census). Rule 31: social-work roles only; employed = permanent + fixed term;
-- leavers = employed social workers whose last day falls in the 12 months to period end
-- (after period end minus 12 calendar months, up to and including period end). A row whose
-- worker carries on in another employed social-work row starting by the next day (a move of
-- team or role) is not a leaver. Two kinds of row: a leaver (numerator = FTE, denominator 0)
-- and an employed staff row in post at period end (numerator 0, denominator = FTE). Team: the
-- staff row's team (rule 37; a service area with teams -> team -1, in that service area). A leaver whose last day is the period end is in both. A workforce census
-- (CSWW) gives the figure on its census date only.
with employed_social_workers as (
    select * from {{ ref('dim_staff') }}
    where is_social_work_role and is_employed
),

leavers as (
    select spell.*
    from employed_social_workers as spell
    where spell.end_date is not null
        and not exists (
            select 1 from employed_social_workers as next_spell
            where next_spell.la_code = spell.la_code
                and next_spell.worker_key = spell.worker_key
                and next_spell.staff_key <> spell.staff_key
                and next_spell.start_date > spell.start_date
                and next_spell.start_date <= spell.end_date + 1
                and (next_spell.end_date is null or next_spell.end_date > spell.end_date)
        )
),

leavers_in_window as (
    select
        leavers.la_code,
        month_ends.snapshot_date,
        -- the team of the last day in post (rule 37: a service area with teams, or the
        -- workforce census, which has no teams -> team -1)
        case when leavers.is_recorded_against_team then leavers.team_id else '-1' end as team_id,
        coalesce(leavers.service_area_id, '-1') as service_area_id,
        'leaver' as unit_type,
        leavers.staff_key,
        leavers.worker_key,
        leavers.role,
        leavers.fte,
        leavers.end_date as last_day_in_post,
        leavers.source_format,
        true as is_met,
        'left on ' || leavers.end_date || ', ' || leavers.fte || ' FTE' as reason,
        leavers.fte as numerator,
        0 as denominator
    from leavers
    join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = leavers.la_code
            and month_ends.snapshot_date >= leavers.end_date
            and leavers.end_date > {{ add_months('month_ends.snapshot_date', -12) }}
            -- a workforce census's leavers are those of the year to its census date: that date only
            and (leavers.census_date is null or month_ends.snapshot_date = leavers.census_date)
),

employed_at_period_end as (
    select
        la_code,
        month_end as snapshot_date,
        team_id,
        service_area_id,
        'employed_staff' as unit_type,
        staff_key,
        worker_key,
        role,
        fte,
        end_date as last_day_in_post,
        source_format,
        false as is_met,
        lower(employment) || ' ' || lower(role) || ' in post, ' || fte || ' FTE' as reason,
        0 as numerator,
        fte as denominator
    from {{ ref('fct_staff_months') }}
    where is_in_post_at_month_end
        and is_social_work_role
        and is_employed
)

select la_code, 'turnover_rate' as kpi_id, {{ star_except('', ['la_code']) }} from leavers_in_window
union all
select la_code, 'turnover_rate' as kpi_id, {{ star_except('', ['la_code']) }} from employed_at_period_end
