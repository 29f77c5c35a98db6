{#- wd(a, b): working days d with a < d <= b (Mon-Fri, not an England and Wales bank holiday).
    A same-day pair is 0; an end before its start counts as 0 (catalogue rule 6).
    Uses the cumulative working-day index of dim_date, so it is two look-ups, not a count. -#}
{% macro working_days_between(start_date, end_date) -%}
    greatest(
        (select d.working_day_index from {{ ref('dim_date') }} d where d.calendar_date = ({{ end_date }})::date)
      - (select d.working_day_index from {{ ref('dim_date') }} d where d.calendar_date = ({{ start_date }})::date),
        0)
{%- endmacro %}
