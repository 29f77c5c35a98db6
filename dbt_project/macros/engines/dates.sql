{#- Dates. DuckDB's `date + interval` is a timestamp and Spark's a date, `date - date` an
    integer in DuckDB and an interval in Spark, and the two format dates with different
    patterns: these macros return the same type (date, integer or text) on both. `date + n`
    (n an integer number of days) is a date on both engines and needs no macro. -#}

{#- `value` as text in a strftime pattern (%Y %m %d %b %B %y %H %M %S only). -#}
{% macro format_date(value, pattern) -%}
    {{ return(adapter.dispatch('format_date', 'csc_warehouse')(value, pattern)) }}
{%- endmacro %}

{% macro duckdb__format_date(value, pattern) -%}
    strftime({{ value }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__format_date(value, pattern) -%}
    {%- set java = pattern | replace('%Y', 'yyyy') | replace('%m', 'MM') | replace('%d', 'dd')
        | replace('%B', 'MMMM') | replace('%b', 'MMM') | replace('%y', 'yy')
        | replace('%H', 'HH') | replace('%M', 'mm') | replace('%S', 'ss') -%}
    date_format({{ value }}, '{{ java }}')
{%- endmacro %}

{#- `value` plus `months` calendar months, a date (the day clamped to the month's last, as both
    engines do). -#}
{% macro add_months(value, months) -%}
    {{ return(adapter.dispatch('add_months', 'csc_warehouse')(value, months)) }}
{%- endmacro %}

{% macro duckdb__add_months(value, months) -%}
    cast({{ value }} + to_months(cast({{ months }} as integer)) as date)
{%- endmacro %}

{% macro spark__add_months(value, months) -%}
    add_months({{ value }}, cast({{ months }} as int))
{%- endmacro %}

{#- The first day of the month, financial-neutral calendar quarter or year holding `value`, a
    date. -#}
{% macro period_start(part, value) -%}
    {{ return(adapter.dispatch('period_start', 'csc_warehouse')(part, value)) }}
{%- endmacro %}

{% macro duckdb__period_start(part, value) -%}
    cast(date_trunc('{{ part }}', {{ value }}) as date)
{%- endmacro %}

{% macro spark__period_start(part, value) -%}
    trunc({{ value }}, '{{ part }}')
{%- endmacro %}

{#- Whole days from `start` to `end` (end - start), an integer. -#}
{% macro days_between(start, end) -%}
    {{ return(adapter.dispatch('days_between', 'csc_warehouse')(start, end)) }}
{%- endmacro %}

{% macro duckdb__days_between(start, end) -%}
    date_diff('day', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__days_between(start, end) -%}
    datediff({{ end }}, {{ start }})
{%- endmacro %}

{#- Whole calendar months from `start` to `end`, as DuckDB's date_diff('month') counts them:
    month boundaries crossed, whatever the day. -#}
{% macro month_boundaries_between(start, end) -%}
    {{ return(adapter.dispatch('month_boundaries_between', 'csc_warehouse')(start, end)) }}
{%- endmacro %}

{% macro duckdb__month_boundaries_between(start, end) -%}
    date_diff('month', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__month_boundaries_between(start, end) -%}
    ((year({{ end }}) - year({{ start }})) * 12 + month({{ end }}) - month({{ start }}))
{%- endmacro %}

{#- Seconds from timestamp `start` to timestamp `end`, a double. -#}
{% macro seconds_between(start, end) -%}
    {{ return(adapter.dispatch('seconds_between', 'csc_warehouse')(start, end)) }}
{%- endmacro %}

{% macro duckdb__seconds_between(start, end) -%}
    epoch({{ end }} - {{ start }})
{%- endmacro %}

{% macro spark__seconds_between(start, end) -%}
    cast(unix_micros(cast({{ end }} as timestamp)) - unix_micros(cast({{ start }} as timestamp)) as double) / 1000000.0
{%- endmacro %}

{#- ISO day of the week: Monday 1 to Sunday 7 (DuckDB's dayofweek counts Sunday 0, Spark's
    Sunday 1: neither is used). -#}
{% macro iso_day_of_week(value) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'csc_warehouse')(value)) }}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(value) -%}
    isodow({{ value }})
{%- endmacro %}

{% macro spark__iso_day_of_week(value) -%}
    extract(dayofweek_iso from {{ value }})
{%- endmacro %}

{#- One row per day (step 'day') or per month (step 'month', from a first of the month) from
    `start` to `end` inclusive, as a set-returning select-list expression:
    `select t.*, {{ date_series(...) }} as day from t`. A date on both engines. -#}
{% macro date_series(start, end, step='day') -%}
    {{ return(adapter.dispatch('date_series', 'csc_warehouse')(start, end, step)) }}
{%- endmacro %}

{% macro duckdb__date_series(start, end, step) -%}
    cast(unnest(generate_series(cast({{ start }} as date), cast({{ end }} as date), interval 1 {{ step }})) as date)
{%- endmacro %}

{#- Spark's sequence fails where DuckDB's series is empty (end before start): guarded. -#}
{% macro spark__date_series(start, end, step) -%}
    explode(if(
        cast({{ start }} as date) <= cast({{ end }} as date),
        sequence(cast({{ start }} as date), cast({{ end }} as date), interval 1 {{ step }}),
        cast(array() as array<date>)))
{%- endmacro %}

{#- Whole years from date `start` to date `end` (an age in completed years), a bigint: DuckDB's
    date_sub('year'), which counts a year complete on the last day of a shorter February (born
    29 February: a year older on 28 February), as Spark's months_between does. -#}
{% macro completed_years_between(start, end) -%}
    {{ return(adapter.dispatch('completed_years_between', 'csc_warehouse')(start, end)) }}
{%- endmacro %}

{% macro duckdb__completed_years_between(start, end) -%}
    date_sub('year', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__completed_years_between(start, end) -%}
    cast(floor(months_between({{ end }}, {{ start }}) / 12) as bigint)
{%- endmacro %}
