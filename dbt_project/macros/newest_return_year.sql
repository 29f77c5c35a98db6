{#- A statutory return's raw table with one row per record: a council's returns of several
    years are all loaded (one current version per return year), and a record carried in more
    than one of them (a child in care across two 903 years, a referral open across two census
    years) is taken from the newest return year, which holds its latest state. `keys`: the
    columns identifying the record within a return (its contract key). The rank column stays
    among the subquery's columns (Spark has no `* exclude`): callers name the columns they take. -#}
{% macro newest_return_year(relation, keys) -%}
(
    select *
    from (
        select
            *,
            row_number() over (
                partition by la_code, {{ keys | join(', ') }}
                order by return_year desc nulls last, extract_date desc
            ) as _return_year_rank
        from {{ relation }}
    ) as versions
    where _return_year_rank = 1
)
{%- endmacro %}
