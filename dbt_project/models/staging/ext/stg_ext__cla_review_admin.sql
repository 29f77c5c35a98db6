-- LAC review administration: IRO consultation and the dates minutes, recommendations and the
-- team manager's response went out. One row per review (same pseudonym kind as the review).
select
    la_code,
    clrx_cla_review_id as cla_review_key,
    coalesce(clrx_iro_consulted, false) as is_iro_consulted,
    clrx_minutes_distributed_date as minutes_distributed_date,
    clrx_recommendations_sent_date as recommendations_sent_date,
    clrx_recommendations_response_date as recommendations_response_date,
    extract_date
from {{ source('raw', 'ext_cla_review_admin') }}
