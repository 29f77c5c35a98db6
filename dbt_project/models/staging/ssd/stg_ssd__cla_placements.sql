-- Placements of looked-after children. The placement postcode (a quasi-identifier) stays raw.
select
    la_code,
    clap_cla_placement_id as placement_key,
    clap_cla_id as period_of_care_key,
    clap_person_id as child_key,
    clap_cla_placement_start_date::date as placement_start_date,
    clap_cla_placement_end_date::date as placement_end_date,
    clap_cla_placement_type as placement_type,
    clap_cla_placement_urn as provider_urn,
    clap_cla_placement_provider as placement_provider,
    clap_cla_placement_distance as placement_distance,
    clap_cla_placement_change_reason as change_reason,
    extract_date
from {{ source('raw', 'ssd_cla_placement') }}
