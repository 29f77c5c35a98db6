{#- An event date (`column_name`) that cannot be true: after the authority's data date (the
    newest extract delivered, dim_authority.as_at_date: nothing recorded can have happened later)
    or before var('earliest_event_date'). Compared as dates (a time on the data date is not
    later). Planned and due dates are not given this test.

    Judged per authority as a share of the rows with the date known (failing_share_by_authority,
    limits of the seed quality_thresholds, measure `dates_possible`); the failing rows carry
    dq_date_problem ('after the data date' or 'before <earliest>') so the report can count them
    per column. -#}
{% test dates_possible(model, column_name) %}
{{ config(fail_calc='coalesce(max(dq_level), 0)', warn_if='>= 1', error_if='>= 2') }}
with checked as (
    select
        tested.*,
        case
            when cast(tested.{{ column_name }} as date) > authority.as_at_date then 'after the data date'
            when tested.{{ column_name }} < cast('{{ var("earliest_event_date") }}' as date)
                then 'before {{ var("earliest_event_date") }}'
        end as dq_date_problem,
        case
            when cast(tested.{{ column_name }} as date) > authority.as_at_date
                or tested.{{ column_name }} < cast('{{ var("earliest_event_date") }}' as date)
                then 1
            else 0
        end as dq_failing
    from {{ model }} as tested
    inner join {{ ref('dim_authority') }} as authority on tested.la_code = authority.la_code
    where tested.{{ column_name }} is not null
),

{{ failing_share_by_authority('dates_possible', model) }}
{% endtest %}
