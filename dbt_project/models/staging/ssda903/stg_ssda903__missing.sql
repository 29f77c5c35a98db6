-- SSDA903 missing and away episodes in the shape of stg_ssd__missing. The 903 holds dates
-- only: the start and end are midnight of their day (so hours to a return interview offer are
-- counted from the start of the day the episode ended). MISSING: M missing, A away from
-- placement without authorisation, as the SSD list. No return interview answers in the 903.
select
    la_code,
    '903:' || child || ':' || {{ format_date('mis_start', '%Y-%m-%d') }} as missing_episode_key,
    child as child_key,
    mis_start::timestamp as missing_start_datetime,
    mis_end::timestamp as missing_end_datetime,
    upper(trim(missing)) as missing_type,
    cast(null as {{ text_type() }}) as recorded_rhi_offered,
    cast(null as {{ text_type() }}) as recorded_rhi_accepted,
    extract_date,
    'ssda903' as source_format
from {{ newest_return_year(source('raw', 'ssda903_missing'), ['child', 'mis_start']) }}
