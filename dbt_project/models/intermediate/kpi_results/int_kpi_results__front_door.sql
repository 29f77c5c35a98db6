-- front door measures: aggregates of this domain's detail models, stacked.
-- Flow measures go through aggregate_flow_units: a unit counts in every month, quarter and
-- year containing its reference date. The two contact-timeliness measures cannot: under rule 9
-- a contact still undecided counts only in the periods that end on or after the day it became
-- overdue (counted_from_date), so a contact received on 28 Feb and never decided is out of
-- February (not yet 24 h old at its end) but in Q4 and the year. They are aggregated below over
-- the published periods with that extra condition; decided contacts have counted_from_date =
-- reference_date, which makes the condition always true for them.
with flow_details as (
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_assessments_45wd_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_assessments_rate_10k_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_contact_conversion_rate_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_re_referrals_12m_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_referrals_rate_10k_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_strategy_discussions_timely_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_s47_completed_15wd_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_s47_nfa_rate_detail') }}
    union all
    select la_code, kpi_id, reference_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_icpc_15wd_detail') }}
),

flow_results as (
    {{ aggregate_flow_units('flow_details') }}
),

contact_details as (
    select la_code, kpi_id, reference_date, counted_from_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_contacts_decided_24h_detail') }}
    union all
    select la_code, kpi_id, reference_date, counted_from_date, team_id, service_area_id, numerator, denominator
    from {{ ref('kpi_early_help_hub_decided_72h_detail') }}
),

contact_periods as (
    -- each contact's month, quarter and year, looked up from its date (no range join)
    select contact_details.*, unnest([
        {'period_type': 'month', 'period_start': days.month_start},
        {'period_type': 'quarter', 'period_start': days.fin_quarter_start},
        {'period_type': 'year', 'period_start': days.fin_year_start}
    ]) as period
    from contact_details
    join {{ ref('dim_date') }} as days on days.calendar_date = contact_details.reference_date
),

contact_units as (
    -- published periods only, and an undecided contact only once it was overdue by period end
    select contact_periods.* exclude (period), periods.period_type, periods.period_start
    from contact_periods
    join {{ ref('dim_period') }} as periods
        on periods.la_code = contact_periods.la_code
       and periods.period_type = contact_periods.period.period_type
       and periods.period_start = contact_periods.period.period_start
    where contact_periods.counted_from_date <= periods.period_end
),

contact_levels as (
    select *, unnest([
        {'breakdown': 'la', 'breakdown_id': la_code},
        {'breakdown': 'service_area', 'breakdown_id': service_area_id},
        {'breakdown': 'team', 'breakdown_id': team_id}
    ]) as level
    from contact_units
),

contact_results as (
    select
        la_code,
        kpi_id,
        period_type,
        period_start,
        level.breakdown,
        level.breakdown_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from contact_levels
    group by all
)

select * from flow_results
union all
select * from contact_results
