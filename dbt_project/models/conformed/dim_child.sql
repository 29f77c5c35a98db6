-- One row per child: pseudonymous key and the characteristics analysts break figures down by.
-- Month of birth, not date of birth, leaves the staging layer.
with disabilities as (
    select la_code, child_key, string_agg(distinct disability_code, ',' order by disability_code) as disability_codes
    from {{ ref('stg_ssd__disabilities') }}
    group by all
)

select
    persons.la_code,
    persons.child_key,
    persons.sex,
    persons.ethnicity,
    date_trunc('month', persons.date_of_birth)::date as month_of_birth,
    disabilities.disability_codes is not null as has_disability,
    disabilities.disability_codes
from {{ ref('stg_ssd__persons') }} as persons
left join disabilities
    on disabilities.la_code = persons.la_code
   and disabilities.child_key = persons.child_key
