{#- Every value of the column is a code of `code_list` in the code_lists seed (nulls pass: a
    required code is a not_null test). `separator` splits a column that holds several codes.
    Fails with one row per authority and unknown code and how many rows carry it (la_code lets
    the quality gate hold back only the authorities that fail). -#}
{% test in_code_list(model, column_name, code_list, separator=none) %}
with observed as (
    {%- if separator %}
    -- one row per code of the list (a generator cannot sit inside trim on Spark)
    select la_code, trim(code) as code
    from (
        select la_code, {{ unnest_split(column_name, separator) }} as code
        from {{ model }}
        where {{ column_name }} is not null
    ) as listed
    {%- else %}
    select la_code, {{ column_name }} as code
    from {{ model }}
    where {{ column_name }} is not null
    {%- endif %}
)

select observed.la_code, observed.code, count(*) as rows_with_code
from observed
left join {{ ref('code_lists') }} as code_lists
    on code_lists.code_list = '{{ code_list }}'
   and code_lists.code = observed.code
where code_lists.code is null
group by observed.la_code, observed.code
{% endtest %}
