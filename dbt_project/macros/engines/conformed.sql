{#- Engine differences met by the conformed layer and its macros (month_ends, source_precedence,
    workers, working_days). Each keeps DuckDB's SQL as it was; Spark gets its equivalent. -#}

{#- Every column of `alias` (of the whole FROM clause when empty) but `columns`: DuckDB's
    `* exclude (...)`, Spark's `* except (...)`. -#}
{% macro star_except(alias, columns) -%}
    {{ return(adapter.dispatch('star_except', 'csc_warehouse')(alias, columns)) }}
{%- endmacro %}

{% macro duckdb__star_except(alias, columns) -%}
    {{ alias ~ '.' if alias }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(alias, columns) -%}
    {{ alias ~ '.' if alias }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- Every column of `alias` (rows of `relation`, a relation or a select that reads no CTE),
    those named in `replacements` (a dict: column -> SQL expression) replaced in place: DuckDB's
    `* replace (...)`; Spark lists the relation's columns (read at run time). -#}
{% macro star_replace(alias, replacements, relation) -%}
    {{ return(adapter.dispatch('star_replace', 'csc_warehouse')(alias, replacements, relation)) }}
{%- endmacro %}

{% macro duckdb__star_replace(alias, replacements, relation) -%}
    {{ alias }}.* replace (
        {%- for column, expression in replacements.items() %}
        {{ expression }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{% macro spark__star_replace(alias, replacements, relation) -%}
    {%- for column in columns_of_query('select * from ' ~ relation) %}
        {{ replacements[column] ~ ' as ' ~ column if column in replacements else alias ~ '.' ~ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- A struct of `fields` (a dict of SQL expressions by field name, in order): DuckDB's struct
    literal `{'k': v}`, Spark's named_struct. Structs compare field by field on both. -#}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'csc_warehouse')(fields)) }}
{%- endmacro %}

{% macro duckdb__struct_of(fields) -%}
    { {%- for key, value in fields.items() %}'{{ key }}': {{ value }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({%- for key, value in fields.items() %}'{{ key }}', {{ value }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#- Integer division truncating toward zero, a bigint for bigint operands: DuckDB's `//`,
    Spark's `div`. -#}
{% macro integer_divide(dividend, divisor) -%}
    {{ return(adapter.dispatch('integer_divide', 'csc_warehouse')(dividend, divisor)) }}
{%- endmacro %}

{% macro duckdb__integer_divide(dividend, divisor) -%}
    {{ dividend }} // {{ divisor }}
{%- endmacro %}

{% macro spark__integer_divide(dividend, divisor) -%}
    {{ dividend }} div {{ divisor }}
{%- endmacro %}

{#- Whole seconds from timestamp `start` to timestamp `end` (DuckDB's date_diff('second')): a
    bigint on DuckDB, a double on Spark, so that a division by a decimal literal is a double on
    both (Spark would make it a decimal). -#}
{% macro whole_seconds_between(start, end) -%}
    {{ return(adapter.dispatch('whole_seconds_between', 'csc_warehouse')(start, end)) }}
{%- endmacro %}

{% macro duckdb__whole_seconds_between(start, end) -%}
    date_diff('second', {{ start }}, {{ end }})
{%- endmacro %}

{% macro spark__whole_seconds_between(start, end) -%}
    cast(timestampdiff(second, {{ start }}, {{ end }}) as double)
{%- endmacro %}

{#- The column names of a select (`select_sql`, which may not read CTEs), in order, read from the
    warehouse at run time; empty while dbt parses. -#}
{% macro columns_of_query(select_sql) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(get_columns_in_query(select_sql) | map('lower') | list) }}
{%- endmacro %}

{#- The rows of `queries` (selects that read no CTE) stacked by column name, a column missing
    from a query NULL in its rows: DuckDB's `union all by name`. Spark has only the positional
    union: each query's columns are read and the union's listed in DuckDB's order (the first
    query's, then each new one as it first appears). -#}
{% macro union_all_by_name(queries) -%}
    {{ return(adapter.dispatch('union_all_by_name', 'csc_warehouse')(queries)) }}
{%- endmacro %}

{% macro duckdb__union_all_by_name(queries) -%}
    {%- for query in queries %}
    {{ query }}
    {%- if not loop.last %}
    union all by name
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{% macro spark__union_all_by_name(queries) -%}
    {%- set query_columns = [] -%}
    {%- set all_columns = [] -%}
    {%- for query in queries -%}
        {%- set columns = columns_of_query(query) -%}
        {%- do query_columns.append(columns) -%}
        {%- for column in columns if column not in all_columns -%}
            {%- do all_columns.append(column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for query in queries %}
    {%- set columns = query_columns[loop.index0] %}
    select
        {%- for column in all_columns %}
        {{ column if column in columns else 'null as ' ~ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ query }}) as by_name_{{ loop.index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- working_days_between (macros/working_days.sql). DuckDB decorrelates the two look-ups of
    a derived table into hash joins. -#}
{% macro duckdb__working_days_between(start_date, end_date) -%}
    (select case when finish_index is null or start_index is null then null
                 else greatest(finish_index - start_index, 0) end
       from (select
               (select d.working_day_index from {{ ref('dim_date') }} as d
                 where d.calendar_date = ({{ end_date }})::date) as finish_index,
               (select d.working_day_index from {{ ref('dim_date') }} as d
                 where d.calendar_date = ({{ start_date }})::date) as start_index))
{%- endmacro %}

{#- Spark resolves no outer column two subqueries deep: each index is its own scalar subquery
    (an equality look-up, decorrelated into a join with the calendar). -#}
{% macro spark__working_days_between(start_date, end_date) -%}
    {%- set finish_index -%}
        (select max(d.working_day_index) from {{ ref('dim_date') }} as d where d.calendar_date = cast({{ end_date }} as date))
    {%- endset -%}
    {%- set start_index -%}
        (select max(d.working_day_index) from {{ ref('dim_date') }} as d where d.calendar_date = cast({{ start_date }} as date))
    {%- endset -%}
    (case when {{ finish_index }} is null or {{ start_index }} is null then null
          else greatest({{ finish_index }} - {{ start_index }}, 0) end)
{%- endmacro %}
