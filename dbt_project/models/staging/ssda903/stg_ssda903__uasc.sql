-- SSDA903 UASC table: the children who were unaccompanied asylum-seeking children at some time
-- while looked after, one row per child (its newest return year), with DUC, the date their
-- UASC status ceased (NULL while it has not). SEX and DOB repeat the header and are not used.
-- The SSD contract holds no immigration status, so this is the only source of UASC
-- (dim_child.was_uasc, docs/returns.md).
select
    la_code,
    child as child_key,
    duc as uasc_ceased_date,
    extract_date,
    'ssda903' as source_format
from {{ newest_return_year(source('raw', 'ssda903_uasc'), ['child']) }}
