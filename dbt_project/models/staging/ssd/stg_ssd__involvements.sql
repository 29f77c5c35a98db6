-- Allocations: a worker (and team) holding a child's case over an interval.
select
    la_code,
    invo_involvements_id as allocation_key,
    -- the source id's rank among the authority's (ingestion, before pseudonymisation): rule 36's
    -- tie-break, "the higher allocation id", without the id
    invo_involvements_id_rank as allocation_id_rank,
    invo_person_id as child_key,
    invo_professional_id as worker_key,
    invo_professional_team as team_id,
    invo_professional_role_id as worker_role,
    invo_involvement_start_date::date as start_date,
    invo_involvement_end_date::date as end_date,
    invo_worker_change_reason as change_reason,
    invo_referral_id as referral_key,
    extract_date
from {{ source('raw', 'ssd_involvements') }}
