{#- A domain's results: each measure's detail rows aggregated by period and level, stacked.
    `measures` is a list of (measure, kind) or (measure, kind, options); the detail model is
    kpi_<measure>_detail. Kinds:
      'snapshot'      one row per unit and month end: aggregate_snapshot_units;
      'flow'          one row per unit, placed by its reference date: aggregate_flow_units;
      'monthly'       judged at each month end, but quarters and years count unit-months
                      (rule 29): month-end rows summed as flow units dated on the month end;
      'counted_from'  flow units that count only in published periods ending on or after
                      their counted_from_date (rule 9).
    options: {'breakdowns': [...]} publishes only those levels (the others show no value);
             {'distinct_numerator': column} (snapshot only): a level's numerator is the number
             of distinct values of that column among its rows with a positive numerator (rule
             36: a child held in two teams counts in each, once in the authority). -#}
{% macro stack_kpi_results(measures) -%}
{%- for measure in measures %}
{%- set detail = ref('kpi_' ~ measure[0] ~ '_detail') %}
{%- set kind = measure[1] %}
{%- set options = measure[2] if measure | length > 2 else {} %}
select * from (
{%- if kind == 'snapshot' %}
{{ aggregate_snapshot_units(detail, options.get('distinct_numerator')) }}
{%- elif kind == 'flow' %}
{{ aggregate_flow_units(detail) }}
{%- elif kind == 'monthly' %}
{{ aggregate_flow_units('(select *, snapshot_date as reference_date from ' ~ detail ~ ')') }}
{%- elif kind == 'counted_from' %}
{{ aggregate_flow_units(detail, counted_from=true) }}
{%- else %}
{{ exceptions.raise_compiler_error("stack_kpi_results: unknown kind '" ~ kind ~ "' for " ~ measure[0]) }}
{%- endif %}
)
{%- if options.breakdowns %}
where breakdown in ('{{ options.breakdowns | join("', '") }}')
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}
