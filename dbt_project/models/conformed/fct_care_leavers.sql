-- Care leavers with their latest SSDA903 OC3-style status (rule 25), decoded:
--   in touch = 'YES';
--   suitable accommodation = the suitability flag (Y / 1 / YES / SUITABLE) or, when it is
--   empty, an accommodation code ending in 1;
--   EET = activity F1-F5 or P1-P5.
-- counted_from / counted_until bound the ages at which rule 25 counts the person (17th
-- birthday to 22nd birthday, exclusive; ages are parameters), so that no date of birth
-- leaves the staging layer. team_id = the team recorded on the care leaver record when it is a
-- known team, else '-1' (snapshot measures prefer the allocated team at the month end).
with params as (
    select
        {{ kpi_parameter('care_leavers_in_touch', 'minimum_age') }}::int as minimum_age,
        {{ kpi_parameter('care_leavers_in_touch', 'maximum_age') }}::int as maximum_age
)

select
    leavers.la_code,
    leavers.care_leaver_key,
    leavers.child_key,
    {{ team_level('teams') }} as team_id,
    coalesce(teams.service_area_id, '-1') as service_area_id,
    leavers.team_id as recorded_team_id,
    leavers.worker_key,
    leavers.personal_adviser_key,
    {{ add_months('persons.date_of_birth', '12 * params.minimum_age') }} as counted_from,
    {{ add_months('persons.date_of_birth', '12 * (params.maximum_age + 1)') }} as counted_until,
    leavers.eligibility,
    leavers.in_touch_code,
    coalesce(leavers.in_touch_code = 'YES', false) as is_in_touch,
    leavers.accommodation_code,
    leavers.accommodation_suitable,
    case
        when nullif(leavers.accommodation_suitable, '') is not null
            then leavers.accommodation_suitable in ('Y', '1', 'YES', 'SUITABLE')
        else coalesce(right(leavers.accommodation_code, 1) = '1', false)
    end as is_suitably_accommodated,
    leavers.activity_code,
    coalesce({{ regex_full_match('leavers.activity_code', '[FP][1-5]') }}, false) as is_in_eet,
    leavers.latest_contact_date,
    leavers.pathway_plan_review_date,
    leavers.source_format
from {{ resolve_workers(ref('int_care_leavers__sources')) }} as leavers
cross join params
left join {{ ref('int_persons__sources') }} as persons
    on persons.la_code = leavers.la_code
        and persons.child_key = leavers.child_key
left join {{ ref('dim_team') }} as teams
    on teams.la_code = leavers.la_code
        and teams.team_id = leavers.team_id
