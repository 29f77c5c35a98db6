-- CSWW workers in the shape of stg_ext__staff, one row per worker record of each census year:
-- the employed children's social workers in post on the census date (30 September) and those
-- who left in the year to it. Each census is a snapshot: `census_date` restricts its rows to
-- that date (fct_staff_months, turnover_rate). Every record is a registered social worker:
-- OrgRole maps to the staff role list (a missing OrgRole is a social worker). The census does
-- not split permanent from fixed-term contracts; both are employed (rule 31). FTE is the
-- census's FTE, FTE30 only where FTE is missing. Agency workers count from the authority-level
-- agency FTE (the census's mandatory item), not from worker records, which are optional for
-- them: one row per census, staff_key 'csww:<year>:agency'.
with workers as (
    select
        la_code,
        'csww:' || return_year || ':' || swe_no as staff_key,
        swe_no as worker_key,
        cast(null as {{ text_type() }}) as team_id,
        coalesce({{ return_code('org_role', 'csww_worker', 'org_role') }}, 'SOCIAL_WORKER') as role,
        'PERMANENT' as employment,
        true as is_operational,
        trim(org_role) = '5' as is_case_holding,
        coalesce(fte, fte30) as fte,
        role_start_date as start_date,
        role_end_date as end_date,
        reason_leave as leaving_reason,
        extract_date,
        {{ csww_census_date('return_year') }} as census_date
    from {{ source('raw', 'csww_worker') }}
    where coalesce(trim(agency_worker), '0') <> '1'
),

agency as (
    select
        la_code,
        'csww:' || return_year || ':agency' as staff_key,
        'csww:' || return_year || ':agency' as worker_key,
        cast(null as {{ text_type() }}) as team_id,
        'SOCIAL_WORKER' as role,
        'AGENCY' as employment,
        true as is_operational,
        false as is_case_holding,
        no_agency_fte as fte,
        {{ csww_census_date('return_year') }} as start_date,
        null::date as end_date,
        cast(null as {{ text_type() }}) as leaving_reason,
        extract_date,
        {{ csww_census_date('return_year') }} as census_date
    from {{ source('raw', 'csww_la_vacancies') }}
    where no_agency_fte is not null
)

select *, 'csww' as source_format from workers
union all
select *, 'csww' as source_format from agency
