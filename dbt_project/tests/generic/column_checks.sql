{#- A model's plain column checks in one query: one dbt node and one Dagster check per model, not
    one per column and check (dbt costs 30-45 ms a node whatever the data; docs/performance.md).
    Declared once per model, in the model's own `data_tests:`:

        data_tests:
          - column_checks:
              name: column_checks_fct_visits   # the Dagster check's and the audit view's name
              arguments:
                not_null: [la_code, visit_key, visit_type]
                unique: [visit_key, [la_code, child_key]]   # a list is a key of several columns
                accepted_values: {visit_type: [cp, cin, cla]}

    Each check means what dbt's own test of that name means (a null passes unique and
    accepted_values; a key of several columns is checked where none of them is null). Returns the
    failing rows of the model (all its columns, la_code among them where the model has one) with
    `dq_failed_checks`, the checks the row fails (`not_null:visit_type;unique:la_code, child_key`),
    and for each unique key `dq_unique_<n>`, the rows sharing the row's key when it is duplicated.
    The quality gate judges each authority and each check as the check's own test would
    (orchestration/lib/quality/dbt_tests.py). Only for tests with the default config: a test with
    `severity`, `where` or thresholds stays a test of its own. -#}
{% test column_checks(model, not_null=[], unique=[], accepted_values={}) %}
{#- each unique key as the list of its columns -#}
{%- set keys = [] -%}
{%- for key in unique -%}
    {%- do keys.append([key] if key is string else key) -%}
{%- endfor -%}
{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(('not_null:' ~ column, column ~ ' is null')) -%}
{%- endfor -%}
{%- for columns in keys -%}
    {%- do checks.append(('unique:' ~ columns | join(', '), 'dq_unique_' ~ loop.index ~ ' > 1')) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}{%- do quoted.append("'" ~ (value | string | replace("'", "''")) ~ "'") -%}{%- endfor -%}
    {%- do checks.append(('accepted_values:' ~ column, column ~ ' not in (' ~ quoted | join(', ') ~ ')')) -%}
{%- endfor -%}
{%- if not checks -%}
    {{ exceptions.raise_compiler_error('column_checks on ' ~ model ~ ' names no check') }}
{%- endif %}
with
{%- for columns in keys %}

-- the key's duplicated values only: an aggregate of the key columns, joined back, holds those keys
-- in memory (a window over every column of every row would partition the whole table); the model
-- is read again rather than through a shared CTE, which DuckDB may materialise whole
duplicated_{{ loop.index }} as (
    select {{ columns | join(', ') }}, count(*) as dq_rows
    from {{ model }}
    where {{ columns | join(' is not null and ') }} is not null
    group by {{ columns | join(', ') }}
    having count(*) > 1
),
{%- endfor %}

checked as (
    select
        tested.*
        {%- for columns in keys %},
        duplicated_{{ loop.index }}.dq_rows as dq_unique_{{ loop.index }}
        {%- endfor %}
    from (select * from {{ model }}) as tested
    {%- for columns in keys %}
    {%- set outer = loop %}
    left join duplicated_{{ loop.index }}
        on
        {%- for column in columns %}
        {% if not loop.first %}and {% endif %}tested.{{ column }} = duplicated_{{ outer.index }}.{{ column }}
        {%- endfor %}
    {%- endfor %}
)

select
    *,
    concat_ws(
        ';',
        {%- for label, failing in checks %}
        case when {{ failing }} then '{{ label }}' end{% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as dq_failed_checks
from checked
where
    {%- for label, failing in checks %}
    {% if not loop.first %}or {% endif %}{{ failing }}
    {%- endfor %}
{% endtest %}
