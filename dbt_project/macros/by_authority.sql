{#- Per-authority incremental builds: work proportional to the authorities with a new drop
    (docs/performance.md, "Per-authority builds").

    The models of the conformed, measures and KPI layers are `incremental` with the strategy
    `by_authority`. When a run finds new drops for some authorities only, and the code and
    settings are those of the last run that ended well, the dbt step names those authorities in
    raw_meta.build_scope before dbt starts (orchestration/defs/transform/dbt_assets.py). Then:

    - a model reads every input with a la_code column through a view of those authorities' rows
      (`ref` below; the dbt step makes the views), deletes their rows and inserts the new ones
      (`get_incremental_by_authority_sql`): the other authorities' rows are not read and not
      rewritten;
    - the generic tests read those authorities' rows only (`duckdb__get_where_subquery`); the
      others keep their last verdict (unchanged; lib/quality/verdicts.py).

    Without that table (a full build: first run, changed code or settings, `cscw run --force`, a
    build outside `cscw run`) nothing is filtered and a model replaces all its rows. Models
    without a la_code column (the calendar) are `table`s, rebuilt whole every time. -#}

{#- The scope of this build: none (every authority) or the sorted list of la_codes. Only the
    DuckDB pipeline builds per authority; elsewhere (Spark) every build is a full one. -#}
{% macro authority_scope() -%}
    {{ return(adapter.dispatch('authority_scope', 'csc_warehouse')()) }}
{%- endmacro %}

{% macro default__authority_scope() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__authority_scope() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables"
        ~ " where table_schema = 'raw_meta' and table_name = 'build_scope'") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set codes = run_query("select la_code from raw_meta.build_scope order by la_code") -%}
    {{ return(codes.columns[0].values() | list) }}
{%- endmacro %}


{#- The SQL predicate selecting the scope's rows: none when every authority is in scope. -#}
{% macro authority_predicate(scope) -%}
    {%- if scope is none -%}
        {{ return(none) }}
    {%- elif scope | length == 0 -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set literals = [] -%}
    {%- for code in scope -%}
        {%- do literals.append("'" ~ (code | replace("'", "''")) ~ "'") -%}
    {%- endfor -%}
    {{ return('la_code in (' ~ literals | join(', ') ~ ')') }}
{%- endmacro %}


{#- The relation's view of the scope's authorities (schema scoped_<schema>, same name), made by
    the dbt step for every table and view with a la_code column; the relation itself when there
    is none (a full build, or an input without rows per authority such as a seed). A relation,
    not a subquery: tests and macros that read its name (quality_threshold) keep working. -#}
{% macro scoped_relation(relation) -%}
    {%- set scoped = adapter.get_relation(
        database=relation.database, schema='scoped_' ~ relation.schema,
        identifier=relation.identifier) -%}
    {{ return(scoped if scoped is not none else relation) }}
{%- endmacro %}


{#- dbt's ref, scoped to the build's authorities while an incremental model is built. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if execute and model.resource_type == 'model' and is_incremental() -%}
        {{ return(scoped_relation(relation)) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}


{#- Replace the scope's rows of the target with the new ones (all rows when unscoped). Rows of
    other authorities in the new rows (from an input without la_code) are not inserted. -#}
{% macro get_incremental_by_authority_sql(arg_dict) -%}
    {%- set predicate = authority_predicate(authority_scope()) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    {%- if predicate is not none %} where {{ predicate }}{% endif %};
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
    {%- if predicate is not none %} where {{ predicate }}{% endif %}
{%- endmacro %}


{#- Generic tests read the tested relation's scoped view during a per-authority build; dbt's
    `where` config applies as usual. -#}
{% macro duckdb__get_where_subquery(relation) -%}
    {%- if execute -%}
        {%- set relation = scoped_relation(relation) -%}
    {%- endif -%}
    {{ return(dbt.default__get_where_subquery(relation)) }}
{%- endmacro %}
