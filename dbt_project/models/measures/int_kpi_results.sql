-- Every measure's aggregates by period and level: the catalogue's measures (seeds/kpi_catalogue.csv),
-- each aggregated from its detail model as its kind says (macro stack_kpi_results). The
-- aggregation macros' own references, which dbt cannot see while it parses an empty stack:
-- depends_on: {{ ref('dim_date') }}, {{ ref('dim_period') }}
{{ stack_kpi_results() }}
