{#- The later date (`column_name`, e.g. an end or authorisation date) is on or after
    `start_column` wherever both are known (open rows are not judged).

    Judged per authority as a share of the rows checked (failing_share_by_authority, limits of
    the seed quality_thresholds, measure `dates_in_order`): any row out of order is a warning;
    more than the critical share, from min_rows rows checked, holds the authority back (a
    systematic fault such as swapped columns, not a handful of typing errors). Returns the
    failing rows themselves with their authority's counts, so an auditor can trace every one. -#}
{% test dates_in_order(model, column_name, start_column) %}
{{ config(fail_calc='coalesce(max(dq_level), 0)', warn_if='>= 1', error_if='>= 2') }}
with checked as (
    select
        tested.*,
        case when tested.{{ column_name }} < tested.{{ start_column }} then 1 else 0 end as dq_failing
    from {{ model }} as tested
    where tested.{{ column_name }} is not null
      and tested.{{ start_column }} is not null
),

{{ failing_share_by_authority('dates_in_order', model) }}
{% endtest %}
