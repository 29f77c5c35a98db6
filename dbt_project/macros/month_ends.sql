{#- The rows of `relation` open at each published month end of their authority, with that
    month end as snapshot_date. Open at d: start <= d and (end null or end > d) (rule 1).
    Each interval is expanded to the calendar months it spans, from its start (or the first
    published period) to the day before its end (or the data date), and matched to
    int_month_ends by equality: the work is proportional to the rows produced, where a range
    join of month ends with intervals would pair every interval with every month end. -#}
{% macro open_at_month_ends(relation, start_date='start_date', end_date='end_date') -%}
(
    with month_spans as (
        select
            records.*,
            {{ date_series(
                period_start('month', 'greatest(records.' ~ start_date ~ ', authority.first_period_start)'),
                period_start('month', 'least(coalesce(records.' ~ end_date ~ ' - 1, authority.as_at_date), authority.as_at_date)'),
                'month') }} as month_start
        from {{ relation }} as records
        join {{ ref('dim_authority') }} as authority
            on authority.la_code = records.la_code
        where records.{{ start_date }} is not null
    )

    select {{ star_except('month_spans', ['month_start']) }}, month_ends.snapshot_date
    from month_spans
    join {{ ref('int_month_ends') }} as month_ends
        on month_ends.la_code = month_spans.la_code
       and month_ends.snapshot_date = last_day(month_spans.month_start)
    where month_spans.{{ start_date }} <= month_ends.snapshot_date
      and (month_spans.{{ end_date }} is null or month_spans.{{ end_date }} > month_ends.snapshot_date)
)
{%- endmacro %}

{#- The rows of `relation` open at each clock date of their authority, as clock_date: every
    published month end (open_at_month_ends) and the data date (dim_authority.as_at_date), the
    day the exception lists are drawn up. A data date that is itself a month end is one of the
    month ends, not a second row. Shared clocks (int_*_clock) are computed on these dates, so a
    measure and an exception list judging the same day read the same row. Both branches list the
    relation's columns, then the clock date: a union by position. -#}
{% macro open_at_clock_dates(relation, start_date='start_date', end_date='end_date') -%}
(
    select {{ star_except('month_end_rows', ['snapshot_date']) }}, month_end_rows.snapshot_date as clock_date
    from {{ open_at_month_ends(relation, start_date, end_date) }} as month_end_rows

    union all

    select records.*, authority.as_at_date as clock_date
    from {{ relation }} as records
    join {{ ref('dim_authority') }} as authority
        on authority.la_code = records.la_code
       and authority.as_at_date <> last_day(authority.as_at_date)
       and records.{{ start_date }} <= authority.as_at_date
       and (records.{{ end_date }} is null or records.{{ end_date }} > authority.as_at_date)
)
{%- endmacro %}
