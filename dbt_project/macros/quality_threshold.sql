{#- One row (warning, critical, min_rows) of the seed quality_thresholds for a check measure:
    the row for `table_name` if there is one, else the `*` default. A row with no critical share
    never blocks (critical 2: a share cannot exceed 1). A measure missing from the seed gets
    limits of 0, so any failure blocks (loud, rather than a check that never fires). -#}
{% macro quality_threshold(measure, table_name) %}
    select
        coalesce(chosen.warning, 0) as warning,
        case
            when chosen.measure is null then 0
            else coalesce(chosen.critical, 2)
        end as critical,
        coalesce(chosen.min_rows, 0) as min_rows
    from (select 1 as one) as anchor
    left join (
        select measure, warning, critical, min_rows
        from {{ ref('quality_thresholds') }}
        where measure = '{{ measure }}'
          and table_name in ('{{ table_name }}', '*')
        order by case when table_name = '*' then 1 else 0 end
        limit 1
    ) as chosen on true
{% endmacro %}
