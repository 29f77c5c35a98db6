-- Whether each measure can mean anything for each authority: it is available when every feed
-- it needs (kpi_catalogue.needs) has been delivered (int_feed_deliveries). A table that was
-- never sent is not a failure of practice, so such a measure is published as not available,
-- never as 0% or a count of 0. The reason names each missing feed's sources, in the order the
-- catalogue lists the needs.
with needs as (
    select kpi_id, {{ unnest_words_with_position('needs', 'feed', 'position') }}
    from {{ ref('kpi_catalogue') }}
    where nullif(trim(needs), '') is not null
),

missing as (
    select
        authority.la_code,
        needs.kpi_id,
        needs.position,
        -- a need that fact_sources does not know can never be delivered: say so
        coalesce(feeds.not_delivered_reason, needs.feed || ' has no source in fact_sources') as reason
    from {{ ref('dim_authority') }} as authority
    cross join needs
    left join {{ ref('int_feed_deliveries') }} as feeds
        on feeds.la_code = authority.la_code
            and feeds.feed = needs.feed
    where not coalesce(feeds.is_delivered, false)
)

select
    authority.la_code,
    catalogue.kpi_id,
    catalogue.needs,
    count(missing.kpi_id) = 0 as is_available,
    {{ ordered_string_agg('missing.reason', '; ', order_by='missing.position') }} as not_available_reason
from {{ ref('dim_authority') }} as authority
cross join {{ ref('kpi_catalogue') }} as catalogue
left join missing
    on missing.la_code = authority.la_code
        and missing.kpi_id = catalogue.kpi_id
group by all
order by authority.la_code, catalogue.kpi_id
