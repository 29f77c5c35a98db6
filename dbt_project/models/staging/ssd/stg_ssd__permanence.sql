-- Adoption decisions from the SSD permanence table: one row per permanence record, with the
-- dates of the adoption journey (ADM "should be placed for adoption" decision, match, placement
-- with adopters, reversal of the decision). Records of other permanence orders (special
-- guardianship, child arrangements) carry none of these dates and are left out by
-- int_adoption__sources. The reversal reason is kept as recorded (trimmed, upper-cased): the
-- 903 codes it RD1-RD4, SSD extracts may hold text.
select
    la_code,
    perm_table_id as adoption_key,
    perm_person_id as child_key,
    perm_cla_id as period_of_care_key,
    perm_adm_decision_date::date as decision_date,
    perm_matched_date::date as matched_date,
    perm_placed_for_adoption_date::date as placed_for_adoption_date,
    perm_decision_reversed_date::date as decision_reversed_date,
    nullif(upper(trim(perm_decision_reversed_reason)), '') as decision_reversed_reason,
    perm_adopted_by_carer_flag as is_adopted_by_foster_carer,
    extract_date
from {{ source('raw', 'ssd_permanence') }}
