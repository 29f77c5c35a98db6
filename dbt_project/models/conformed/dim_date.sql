-- One row per day of the calendar span, with working-day flags, the cumulative working-day
-- index behind working_days_between(), and the financial periods each day belongs to.
-- The same for every authority (no la_code): rebuilt whole, not per authority.
{{ config(materialized='table') }}

with span as (
    select
        make_date(min(year(holiday_date))::int, 1, 1) as first_day,
        make_date(max(year(holiday_date))::int, 12, 31) as last_day
    from {{ ref('stg_reference__bank_holidays') }}
),

days as (
    select {{ date_series('first_day', 'last_day', 'day') }} as calendar_date
    from span
),

flagged as (
    select
        days.calendar_date,
        {{ iso_day_of_week('days.calendar_date') }} <= 5 as is_weekday,
        holidays.holiday_date is not null as is_bank_holiday,
        holidays.holiday_name
    from days
    left join {{ ref('stg_reference__bank_holidays') }} as holidays
        on holidays.holiday_date = days.calendar_date
),

financial as (
    select
        *,
        is_weekday and not is_bank_holiday as is_working_day,
        -- financial years run April to March; financial quarters are calendar quarters
        make_date(year(calendar_date) - (month(calendar_date) < 4)::int, 4, 1) as fin_year_start
    from flagged
)

select
    calendar_date,
    is_weekday,
    is_bank_holiday,
    holiday_name,
    is_working_day,
    -- integer, not the hugeint sum() returns: every working-day interval derives from it
    (sum(is_working_day::int) over (order by calendar_date))::integer as working_day_index,
    {{ period_start('month', 'calendar_date') }} as month_start,
    last_day(calendar_date) as month_end,
    {{ period_start('quarter', 'calendar_date') }} as fin_quarter_start,
    {{ add_months(period_start('quarter', 'calendar_date'), 3) }} - 1 as fin_quarter_end,
    {{ integer_divide('((month(calendar_date) + 8) % 12)', 3) }} + 1 as fin_quarter_number,
    fin_year_start,
    {{ add_months('fin_year_start', 12) }} - 1 as fin_year_end,
    year(fin_year_start) || '-' || right((year(fin_year_start) + 1)::{{ text_type() }}, 2) as fin_year_label
from financial
