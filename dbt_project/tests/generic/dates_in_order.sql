{#- The later date (`column_name`, e.g. an end or authorisation date) is on or after
    `start_column` wherever both are known (open rows are not judged).

    Judged per authority as a share of the rows checked, with the limits of the seed
    quality_thresholds (measure `dates_in_order`; a row for the model wins over `*`): any row out
    of order is a warning (above the warning share, 0 by default); more than the critical share, from min_rows rows checked, holds the
    authority back (a systematic fault such as swapped columns, not a handful of typing errors).
    Returns the failing rows themselves with their authority's counts, so an auditor can trace
    every one; dq_level is 1 (warning) or 2 (blocking) and decides the outcome. -#}
{% test dates_in_order(model, column_name, start_column) %}
{{ config(fail_calc='coalesce(max(dq_level), 0)', warn_if='>= 1', error_if='>= 2') }}
with checked as (
    select
        tested.*,
        case when tested.{{ column_name }} < tested.{{ start_column }} then 1 else 0 end as dq_out_of_order
    from {{ model }} as tested
    where tested.{{ column_name }} is not null
      and tested.{{ start_column }} is not null
),

by_authority as (
    select la_code, count(*) as dq_rows_checked, sum(dq_out_of_order) as dq_rows_failing
    from checked
    group by la_code
),

limits as (
    {{ quality_threshold('dates_in_order', model.identifier) }}
)

select
    checked.*,
    by_authority.dq_rows_checked,
    by_authority.dq_rows_failing,
    by_authority.dq_rows_failing * 1.0 / by_authority.dq_rows_checked as dq_failing_share,
    case
        when by_authority.dq_rows_checked >= limits.min_rows
            and by_authority.dq_rows_failing * 1.0 / by_authority.dq_rows_checked > limits.critical
            then 2
        when by_authority.dq_rows_failing * 1.0 / by_authority.dq_rows_checked > limits.warning then 1
        else 0
    end as dq_level
from checked
inner join by_authority on checked.la_code = by_authority.la_code
cross join limits
where checked.dq_out_of_order = 1
{% endtest %}
