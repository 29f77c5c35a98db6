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
    extract (ext_*) takes the SSD's place for the families it feeds: `ssd_format` 'extract'.
    The rows are stacked by column name (union_all_by_name), each branch reading the relations
    themselves. -#}
{% macro prefer_ssd_within_its_span(ssd, returns, event_date=none, ssd_format='ssd') -%}
{%- set return_queries = [] -%}
{%- for relation in returns -%}
    {%- do return_queries.append('select * from ' ~ relation) -%}
{%- endfor -%}
{%- set returns_kept -%}
select return_rows.*
from ({{ union_all_by_name(return_queries) }}) as return_rows
left join (
    select
        la_code as span_la_code,
        {%- if event_date %}
        min({{ event_date }}) as span_first_date,
        max({{ event_date }}) as span_last_date
        {%- else %}
        true as covers_every_date
        {%- endif %}
    from {{ ssd }}
    group by la_code
) as ssd_span
    on ssd_span.span_la_code = return_rows.la_code
where ssd_span.span_la_code is null
{%- if event_date %}
   or {{ event_date }} < ssd_span.span_first_date
   or {{ event_date }} > ssd_span.span_last_date
{%- endif %}
{%- endset -%}
{{ union_all_by_name(["select *, '" ~ ssd_format ~ "' as source_format from " ~ ssd, returns_kept]) }}
{%- endmacro %}
