-- Every measure's aggregates by period and level; each domain stacks its own measures.
{% set domains = ['front_door', 'child_protection', 'children_in_need', 'looked_after',
                  'exploitation_courts', 'workforce_quality'] %}
{% for domain in domains %}
select * from {{ ref('int_kpi_results__' ~ domain) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
