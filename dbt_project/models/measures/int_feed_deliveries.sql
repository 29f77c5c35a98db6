-- Which conformed feeds each authority has delivered: a feed (seeds/fact_sources) is delivered
-- when any of its source tables has a current loaded version, i.e. arrived at some time,
-- however many rows it held. Alternative sources of one feed are alternatives: one suffices.
with delivered_tables as (  -- a return has one current version per return year
    select la_code, table_name, max(extract_date) as extract_date
    from {{ ref('stg_raw_meta__current_versions') }}
    group by la_code, table_name
)

select
    authority.la_code,
    sources.feed,
    bool_or(versions.table_name is not null) as is_delivered,
    {{ ordered_string_agg('versions.table_name', ', ') }} as delivered_sources,
    max(versions.extract_date) as latest_extract_date,
    {{ ordered_string_agg('sources.source_table', ' or ') }} || ' not delivered' as not_delivered_reason
from {{ ref('dim_authority') }} as authority
cross join {{ ref('fact_sources') }} as sources
left join delivered_tables as versions
    on versions.la_code = authority.la_code
        and versions.table_name = sources.source_table
group by all
