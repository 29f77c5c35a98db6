-- One row per child of the authority: the columns every Annex A list repeats, coded as Ofsted's
-- January 2024 layout writes them, and the allocation at the data date (dim_authority.as_at_date).
-- Pseudonymous keys only: the Annex A writer restores identities (docs/annex_a.md).
-- Date of birth comes from the persons sources (dim_child keeps the month only): Annex A asks
-- for it, and this view is read by the restricted writer alone.
with allocated as (
    select la_code, child_key, worker_key, team_id
    from (
        select
            a.la_code, a.child_key, a.worker_key, a.team_id,
            row_number() over (
                partition by a.la_code, a.child_key order by {{ allocation_precedence('a') }} asc
            ) as precedence
        from {{ ref('fct_allocations') }} as a
        join {{ ref('dim_authority') }} as authority on authority.la_code = a.la_code
        where a.start_date <= authority.as_at_date
            and (a.end_date is null or a.end_date > authority.as_at_date)
    ) as ranked
    where precedence = 1
)

select
    child.la_code,
    child.child_key,
    authority.as_at_date as data_date,
    coalesce(sex.annex_a_value, 'c) Not stated/recorded') as gender,
    coalesce(ethnicity.annex_a_value, 's) NOBT') as ethnicity,
    persons.date_of_birth,
    child.month_of_birth,
    {{ annex_a_yes_no('child.has_disability', lettered=true) }} as disability,
    child.was_uasc,
    child.uasc_ceased_date,
    coalesce(team.team_name, 'Unallocated') as allocated_team,
    allocated.worker_key as allocated_worker_key
from {{ ref('dim_child') }} as child
join {{ ref('dim_authority') }} as authority on authority.la_code = child.la_code
left join {{ ref('int_persons__sources') }} as persons
    on persons.la_code = child.la_code and persons.child_key = child.child_key
left join {{ ref('annex_a_codes') }} as sex
    on sex.code_list = 'sex' and sex.code = child.sex
left join {{ ref('annex_a_codes') }} as ethnicity
    on ethnicity.code_list = 'ethnicity' and ethnicity.code = child.ethnicity
left join allocated
    on allocated.la_code = child.la_code and allocated.child_key = child.child_key
left join {{ ref('dim_team') }} as team
    on team.la_code = allocated.la_code and team.team_id = allocated.team_id
