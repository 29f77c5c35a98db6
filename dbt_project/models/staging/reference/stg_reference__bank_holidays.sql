-- England and Wales bank holidays (the `holidays` library, loaded by the reference asset).
select
    holiday_date::date as holiday_date,
    holiday_name
from {{ source('reference', 'bank_holidays') }}
