-- One row per legal status interval (SSDA903): the order or arrangement a child is looked after
-- under. Open at d when start_date <= d and (end_date null or end_date > d) (rule 1). Label and
-- group come from the code-list seed, so a count of children by order needs no re-coding.
select
    statuses.la_code,
    statuses.legal_status_key,
    statuses.child_key,
    statuses.legal_status_code,
    codes.label as legal_status_label,
    codes.code_group as legal_status_group,
    statuses.start_date,
    statuses.end_date,
    statuses.extract_date,
    statuses.source_format
from {{ ref('int_legal_statuses__sources') }} as statuses
left join {{ ref('code_lists') }} as codes
    on codes.code_list = 'legal_status'
        and codes.code = statuses.legal_status_code
