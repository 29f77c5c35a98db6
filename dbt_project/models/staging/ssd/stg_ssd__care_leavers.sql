-- Care leavers with their latest SSDA903 OC3-style status (in touch, accommodation, activity).
-- The personal adviser is recorded as a name or id in some systems: kept only as a pseudonym.
select
    la_code,
    clea_table_id as care_leaver_key,
    clea_person_id as child_key,
    clea_care_leaver_eligibility as eligibility,
    upper(trim(clea_care_leaver_in_touch)) as in_touch_code,
    clea_care_leaver_latest_contact::date as latest_contact_date,
    upper(trim(clea_care_leaver_accommodation)) as accommodation_code,
    upper(trim(clea_care_leaver_accom_suitable)) as accommodation_suitable,
    upper(trim(clea_care_leaver_activity)) as activity_code,
    clea_pathway_plan_review_date::date as pathway_plan_review_date,
    clea_care_leaver_personal_advisor as personal_adviser_key,
    clea_care_leaver_allocated_team as team_id,
    clea_care_leaver_worker_id as worker_key,
    extract_date
from {{ source('raw', 'ssd_care_leavers') }}
