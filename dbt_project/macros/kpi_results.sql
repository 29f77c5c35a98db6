{#- Every measure's results: each detail model's rows aggregated by period and level, stacked.
    The measures and how each is aggregated come from the catalogue (kpi_measures); a measure
    with detail_of is aggregated with the detail model that carries its rows (by kpi_id). Kinds:
      'snapshot'      one row per unit and month end: aggregate_snapshot_units;
      'flow'          one row per unit, placed by its reference date: aggregate_flow_units;
      'monthly'       judged at each month end, but quarters and years count unit-months
                      (rule 29): month-end rows summed as flow units dated on the month end;
      'counted_from'  flow units that count only in published periods ending on or after
                      their counted_from_date (rule 9: a contact still undecided counts only in
                      the periods ending on or after the day it became overdue).
    breakdowns (catalogue): publishes only those levels of the measure (the others show no value);
    distinct_numerator (snapshot only): a level's numerator is the number of distinct values of
    that column among its rows with a positive numerator (rule 36: a child held in two teams
    counts in each, once in the authority). -#}
{% macro stack_kpi_results() -%}
{%- set measures = kpi_measures() %}
{%- if not measures %}
{{ no_kpi_results() }}  {#- parsing: the catalogue is read when the model runs #}
{%- endif %}
{%- for measure in measures if not measure.detail_of %}
{%- set detail = measure.detail %}
{%- set kind = measure.kind %}
select * from (
{%- if kind == 'snapshot' %}
{{ aggregate_snapshot_units(detail, measure.distinct_numerator) }}
{%- elif kind == 'flow' %}
{{ aggregate_flow_units(detail) }}
{%- elif kind == 'monthly' %}
{{ aggregate_flow_units('(select *, snapshot_date as reference_date from ' ~ detail ~ ')') }}
{%- elif kind == 'counted_from' %}
{{ aggregate_flow_units(detail, counted_from=true) }}
{%- else %}
{{ exceptions.raise_compiler_error("stack_kpi_results: unknown kind '" ~ kind ~ "' for " ~ measure.kpi_id) }}
{%- endif %}
)
{%- for limited in measures if limited.breakdowns and (limited.detail_of or limited.kpi_id) == measure.kpi_id %}
{{ 'where' if loop.first else 'and' }} (kpi_id <> '{{ limited.kpi_id }}' or breakdown in ('{{ limited.breakdowns | join("', '") }}'))
{%- endfor %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}
