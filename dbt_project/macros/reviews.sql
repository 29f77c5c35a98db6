{#- Reviews numbered by date within what they review (a plan, a period of care; ties by key),
    each with the date of the actual review before it: later reviews fall due a number of
    months after the previous actual review, not after its due date. -#}
{% macro number_reviews(reviews, within, review_key) -%}
(
    select
        *,
        row_number() over reviewed as review_number,
        lag(review_date) over reviewed as previous_review_date
    from {{ reviews }}
    window reviewed as (partition by la_code, {{ within }} order by review_date, {{ review_key }})
)
{%- endmacro %}

{#- The due date of a numbered review on a months schedule: the first first_months after the
    clock start, each later one later_months after the previous actual review (calendar
    months, month-end clipped: 30 Nov + 3 months = 29 Feb in a leap year). -#}
{% macro review_due_by_months(clock_start, first_months, later_months) -%}
    case when review_number = 1
         then ({{ clock_start }} + to_months({{ first_months }}))::date
         else (previous_review_date + to_months({{ later_months }}))::date
    end
{%- endmacro %}
