{#- Type names both engines accept in casts. DuckDB's `varchar` needs a length on Spark, whose
    `string` DuckDB also reads as varchar: text is spelled `{{ text_type() }}`. -#}
{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'csc_warehouse')()) }}
{%- endmacro %}

{% macro default__text_type() -%}
    varchar
{%- endmacro %}

{% macro spark__text_type() -%}
    string
{%- endmacro %}

{#- A DuckDB type name (as written in the seeds' column_types and the models' contracts) in
    Spark's spelling. -#}
{% macro spark_type(duckdb_type) -%}
    {%- set name = duckdb_type | lower | trim -%}
    {%- set names = {'varchar': 'string', 'text': 'string', 'integer': 'int', 'hugeint': 'decimal(38,0)',
                     'ubigint': 'decimal(20,0)', 'timestamp with time zone': 'timestamp',
                     'timestamptz': 'timestamp'} -%}
    {{ return(names.get(name, name)) }}
{%- endmacro %}
