{#- The end of a row test judged per authority as a share (dates_in_order, dates_possible): given a
    CTE `checked` holding the rows checked with `dq_failing` (1 or 0), returns the failing rows
    with their authority's dq_rows_checked, dq_rows_failing, dq_failing_share and dq_level:
    2 (blocking) above the critical share from min_rows rows checked, 1 (warning) above the
    warning share, else 0. Limits from the seed quality_thresholds (quality_threshold macro). -#}
{% macro failing_share_by_authority(measure, model) %}
by_authority as (
    select la_code, count(*) as dq_rows_checked, sum(dq_failing) as dq_rows_failing
    from checked
    group by la_code
),

limits as (
    {{ quality_threshold(measure, model.identifier) }}
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
where checked.dq_failing = 1
{% endmacro %}
