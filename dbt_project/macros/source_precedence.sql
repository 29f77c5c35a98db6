{#- Precedence between the SSD and the statutory returns, one rule for every fact family
    (docs/returns.md): for each authority, the SSD covers the dates from its earliest to its
    latest event date in the family (`event_date`: referral date, episode start, ...); SSD rows
    are always kept, and a return row is kept only when the authority has no SSD row in the
    family or its event date lies outside that span (a return row without an event date cannot
    be placed and is dropped when the SSD is there). `ssd`: the SSD staging model (its rows get
    source_format 'ssd'); `returns`: staging models of the returns in the same column shape,
    each with its own source_format. A family without event dates (a current-status snapshot:
    care leavers, disabilities) passes event_date=none: the SSD then covers every date, and
    returns fill only authorities without SSD rows. Columns are matched by name. A local
    extract (ext_*) takes the SSD's place for the families it feeds: `ssd_format` 'extract'. -#}
{% macro prefer_ssd_within_its_span(ssd, returns, event_date=none, ssd_format='ssd') -%}
with ssd_rows as (
    select *, '{{ ssd_format }}' as source_format from {{ ssd }}
),

ssd_span as (
    select
        la_code as span_la_code,
        {%- if event_date %}
        min({{ event_date }}) as span_first_date,
        max({{ event_date }}) as span_last_date
        {%- else %}
        true as covers_every_date
        {%- endif %}
    from ssd_rows
    group by la_code
),

return_rows as (
    {%- for relation in returns %}
    select * from {{ relation }}
    {%- if not loop.last %}
    union all by name
    {%- endif %}
    {%- endfor %}
)

select * from ssd_rows
union all by name
select return_rows.*
from return_rows
left join ssd_span
    on ssd_span.span_la_code = return_rows.la_code
where ssd_span.span_la_code is null
{%- if event_date %}
   or {{ event_date }} < ssd_span.span_first_date
   or {{ event_date }} > ssd_span.span_last_date
{%- endif %}
{%- endmacro %}
