-- One row per authority: its data date (newest extract loaded) and the first period published.
with loaded as (
    select la_code, max(extract_date) as as_at_date
    from {{ ref('stg_raw_meta__current_versions') }}
    group by la_code
)

select
    la_code,
    as_at_date,
    -- the financial year that starts scorecard_history_years before the data date's
    {{ add_months(
        'make_date(year(as_at_date) - (month(as_at_date) < 4)::int, 4, 1)',
        '-12 * ' ~ var('scorecard_history_years')) }} as first_period_start
from loaded
