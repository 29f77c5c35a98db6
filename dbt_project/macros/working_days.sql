{#- wd(a, b): working days d with a < d <= b (Mon-Fri, not an England and Wales bank holiday).
    A same-day pair is 0; an end before its start counts as 0 (catalogue rule 6); a date outside
    the calendar gives NULL (caught by the quality gate), never a made-up number.
    Uses the cumulative working-day index of dim_date: two look-ups, not a count. -#}
{% macro working_days_between(start_date, end_date) -%}
    (select greatest(finish.working_day_index - start.working_day_index, 0)
       from {{ ref('dim_date') }} as start, {{ ref('dim_date') }} as finish
      where start.calendar_date = ({{ start_date }})::date
        and finish.calendar_date = ({{ end_date }})::date)
{%- endmacro %}
