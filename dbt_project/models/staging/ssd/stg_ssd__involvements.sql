-- Allocations: a worker (and team) holding a child's case over an interval.
select
    la_code,
    invo_involvements_id as allocation_key,
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
