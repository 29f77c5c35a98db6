{#- wd(a, b): working days d with a < d <= b (Mon-Fri, not an England and Wales bank holiday).
    A same-day pair is 0; an end before its start counts as 0 (catalogue rule 6); a date outside
    the calendar gives NULL (caught by the quality gate), never a made-up number.
    Two equality look-ups of dim_date's cumulative working-day index, each decorrelated by
    DuckDB into a hash join (a join of the calendar with itself here would be quadratic). -#}
{% macro working_days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('working_days_between', 'csc_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{#- The Nth working day after a date: the working day whose cumulative working-day index is
    the date's plus N; NULL when either falls outside the calendar. -#}
{% macro working_days_after(start_date, working_days) -%}
    (select min(due_day.calendar_date)
       from {{ ref('dim_date') }} as start_day
       join {{ ref('dim_date') }} as due_day
         on due_day.working_day_index = start_day.working_day_index + ({{ working_days }})
        and due_day.is_working_day
      where start_day.calendar_date = ({{ start_date }})::date)
{%- endmacro %}
