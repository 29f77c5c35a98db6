-- looked after measures: aggregates of this domain's detail models, stacked.
{%- set snapshot_measures = ['cla_open', 'cla_rate_10k', 'cla_visits_timely', 'iro_oversight_2in12m',
                             'placement_stability_3plus', 'care_leavers_in_touch',
                             'care_leavers_suitable_accommodation', 'care_leavers_eet', 'life_story_backlog'] %}
{%- set flow_measures = ['cla_starts', 'cla_ceased', 'cla_reviews_first_20wd', 'cla_reviews_subsequent_timely',
                         'cla_reviews_timely', 'cla_review_participation', 'cla_review_iro_consultation',
                         'cla_review_minutes_20wd', 'cla_review_recs_5wd', 'cla_review_recs_response_5wd',
                         'iro_disputes_20wd', 'missing_rhi_72h'] %}
{% for kpi_id in snapshot_measures %}
select * from ({{ aggregate_snapshot_units(ref('kpi_' ~ kpi_id ~ '_detail')) }})
union all
{% endfor %}
{%- for kpi_id in flow_measures %}
select * from ({{ aggregate_flow_units(ref('kpi_' ~ kpi_id ~ '_detail')) }})
{% if not loop.last %}union all{% endif %}
{%- endfor %}
