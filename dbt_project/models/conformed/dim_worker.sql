-- One row per worker: every professional in ssd_professionals, every worker ext_staff names who is
-- not there, and each authority's unknown worker ('-1'), to which a worker reference that finds
-- nobody resolves (macro resolve_workers).
with professionals as (
    select la_code, worker_key, staff_id_key, job_title, is_agency, true as is_in_professionals
    from (
        select
            *,
            row_number() over (
                partition by la_code, worker_key order by staff_id_key nulls last
            ) as professional_rank
        from {{ ref('stg_ssd__professionals') }}
    ) as ranked
    -- a duplicated professional id is quarantined at the boundary; keep one row regardless
    where professional_rank = 1
),

staff_only as (
    select distinct
        staff.la_code, staff.worker_key, null::{{ text_type() }} as staff_id_key, null::{{ text_type() }} as job_title,
        null::boolean as is_agency, false as is_in_professionals
    from {{ ref('stg_ext__staff') }} as staff
    anti join professionals
        on professionals.la_code = staff.la_code
            and professionals.worker_key = staff.worker_key
    where staff.worker_key is not null
),

authorities as (
    select la_code from {{ ref('dim_authority') }}
)

select *, false as is_unknown_member from professionals
union all
select *, false from staff_only
union all
select la_code, '-1', null, 'Unknown worker', null, false, true from authorities
