-- Team diagnostic visits: one grade per team, visit and quality domain.
select
    la_code,
    tdia_id as team_diagnostic_key,
    tdia_team_id as team_id,
    tdia_visit_date as visit_date,
    tdia_domain as quality_domain,
    tdia_grade as grade,
    extract_date
from {{ source('raw', 'ext_team_diagnostics') }}
