{#- Rows of a column that are implausible rather than wrong (`failing_when`, a condition on the
    row, e.g. an unknown team '-1'), judged per authority as a share of the rows with the column
    known (failing_share_by_authority, limits of the seed quality_thresholds for `measure`). -#}
{% test share_of_rows(model, column_name, failing_when, measure) %}
{{ config(fail_calc='coalesce(max(dq_level), 0)', warn_if='>= 1', error_if='>= 2') }}
with checked as (
    select
        tested.*,
        case when {{ failing_when }} then 1 else 0 end as dq_failing
    from {{ model }} as tested
    where tested.{{ column_name }} is not null
),

{{ failing_share_by_authority(measure, model) }}
{% endtest %}
