{#- Every column of `columns` is not null, for one model in one query (one dbt node and one
    Dagster check per model, not one per column: dbt costs 25-30 ms a node whatever the data).
    Declared once per model, in the model's own `data_tests:`:

        data_tests:
          - not_null_columns: {arguments: {columns: [la_code, kpi_id, team_id]}}

    Returns the failing rows of the model (all its columns, la_code among them where the model
    has one) with `dq_null_columns`, the columns found null in that row (comma-separated), so the
    quality gate judges each authority and each column as the column's own not_null test would
    (orchestration/lib/quality/dbt_tests.py). Only for not_null tests with the default config:
    one with `severity`, `where` or thresholds stays a column's own `not_null`. -#}
{% test not_null_columns(model, columns) %}
select
    *,
    concat_ws(
        ',',
        {%- for column in columns %}
        case when {{ column }} is null then '{{ column }}' end{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as dq_null_columns
from {{ model }}
where
    {%- for column in columns %}
    {% if not loop.first %}or {% endif %}{{ column }} is null
    {%- endfor %}
{% endtest %}
