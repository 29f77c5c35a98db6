-- Every complete period published for each authority: calendar months, financial quarters
-- and financial years ending on or before the authority's data date.
with periods as (
    select distinct
        'month' as period_type, month_start as period_start, month_end as period_end,
        {{ format_date('month_start', '%b %Y') }} as period_label
    from {{ ref('dim_date') }}
    union all
    select distinct
        'quarter', fin_quarter_start, fin_quarter_end,
        fin_year_label || ' Q' || fin_quarter_number
    from {{ ref('dim_date') }}
    union all
    select distinct 'year', fin_year_start, fin_year_end, fin_year_label
    from {{ ref('dim_date') }}
)

select
    authority.la_code,
    periods.period_type,
    periods.period_start,
    periods.period_end,
    periods.period_label,
    {{ month_boundaries_between('periods.period_start', 'periods.period_end + 1') }} as months_in_period
from {{ ref('dim_authority') }} as authority
join periods
    on periods.period_start >= authority.first_period_start
        and periods.period_end <= authority.as_at_date
