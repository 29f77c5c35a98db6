-- Every worker's caseload on any date: the distinct children with an allocation to the worker
-- open that day (rule 1), as kpi_caseload_by_worker counts them at month ends. Run against the
-- warehouse (read-only) after setting the date:
--   SET VARIABLE as_at = DATE '2024-05-15';
select
    la_code,
    getvariable('as_at') as as_at,
    worker_key,
    count(distinct child_key) as open_children
from conformed.fct_allocations
where start_date <= getvariable('as_at')
  and (end_date is null or end_date > getvariable('as_at'))
  and worker_key is not null
group by la_code, worker_key
order by la_code, worker_key
