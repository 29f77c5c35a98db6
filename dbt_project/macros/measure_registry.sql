{#- The measure registry is seeds/kpi_catalogue.csv: one row per measure, whose rows are in its
    detail model kpi_<kpi_id>_detail, or, with detail_of, in that measure's detail model. Result
    stacking and the generic detail tests read it here, so adding a measure is one catalogue row
    and one detail model.

    dbt must know a model's references when it parses, before the seed is loaded, so the ids of
    the measures with a detail model of their own reach the parser from the catalogue file in
    the environment (CSCW_MEASURES, set by orchestration/lib/measures.py wherever the project
    starts dbt: `cscw`, `cscw-dbt`); all else is read from the loaded seed when the model runs.
    A catalogue row without its detail model fails the parse (the ref names it); a detail model
    without a row, or a seed that disagrees with the parsed ids, fails the model that asks. -#}

{#- Every measure with its detail relation, in catalogue order: dicts of the catalogue's
    columns (kpi_id, kind, detail_of, breakdowns and unit_key as lists, distinct_numerator) plus
    `detail`. Empty while parsing. -#}
{% macro kpi_measures() -%}
    {%- set catalogue = ref('kpi_catalogue') -%}
    {%- set details = {} -%}
    {%- for kpi_id in env_var('CSCW_MEASURES', '').split() -%}
        {%- do details.update({kpi_id: ref('kpi_' ~ kpi_id ~ '_detail')}) -%}
    {%- endfor -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if not details -%}
        {{ exceptions.raise_compiler_error("CSCW_MEASURES is not set: start dbt through cscw-dbt, which reads the measure ids from seeds/kpi_catalogue.csv (orchestration/lib/measures.py)") }}
    {%- endif -%}
    {%- set rows = run_query(
        "select kpi_id, kind, detail_of, breakdowns, distinct_numerator, unit_key from "
        ~ catalogue ~ " order by kpi_id") -%}
    {%- set measures = [] -%}
    {%- set own = [] -%}
    {%- for row in rows -%}
        {#- agate reads an empty string as none -#}
        {%- set detail_of = row[2] or none -%}
        {%- if not detail_of -%}{%- do own.append(row[0]) -%}{%- endif -%}
        {%- do measures.append({
            'kpi_id': row[0], 'kind': row[1], 'detail_of': detail_of,
            'breakdowns': (row[3] or '').split(), 'distinct_numerator': row[4] or none,
            'unit_key': (row[5] or '').split(), 'detail': details.get(detail_of or row[0])}) -%}
    {%- endfor -%}
    {%- set modelled = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and modules.re.fullmatch('kpi_.+_detail', node.name) -%}
            {%- do modelled.append(node.name[4:-7]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for kpi_id in modelled | sort if kpi_id not in own -%}
        {%- do problems.append("detail model kpi_" ~ kpi_id ~ "_detail has no catalogue row") -%}
    {%- endfor -%}
    {%- for kpi_id in own | sort if kpi_id not in details -%}
        {%- do problems.append("catalogue row " ~ kpi_id ~ " is not in CSCW_MEASURES (parsed from another catalogue: re-run through cscw-dbt)") -%}
    {%- endfor -%}
    {%- for kpi_id in details | sort if kpi_id not in own -%}
        {%- do problems.append("CSCW_MEASURES names " ~ kpi_id ~ ", which the loaded catalogue does not (seed not reloaded?)") -%}
    {%- endfor -%}
    {%- for m in measures if m.detail_of and m.detail_of not in own -%}
        {%- do problems.append("catalogue row " ~ m.kpi_id ~ ": detail_of " ~ m.detail_of ~ " is not a measure with its own detail model") -%}
    {%- endfor -%}
    {#- rows that share a detail model are aggregated together, as its own measure's kind says -#}
    {%- for m in measures if m.detail_of -%}
        {%- for owner in measures if owner.kpi_id == m.detail_of and (owner.kind, owner.distinct_numerator) != (m.kind, m.distinct_numerator) -%}
            {%- do problems.append("catalogue row " ~ m.kpi_id ~ ": kind and distinct_numerator must be those of " ~ m.detail_of ~ ", whose detail model it shares") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("measure registry (seeds/kpi_catalogue.csv): " ~ problems | join('; ')) }}
    {%- endif -%}
    {{ return(measures) }}
{%- endmacro %}
