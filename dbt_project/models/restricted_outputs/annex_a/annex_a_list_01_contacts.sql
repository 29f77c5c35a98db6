-- List 1: one row per contact. Age at the date of contact.
select
    contacts.la_code,
    contacts.child_key,
    {{ annex_a_child_columns('contacts.contact_datetime::date') }},
    contacts.contact_datetime::date as contact_date,
    {{ annex_a_code('referral_source', 'contacts.contact_source_code') }} as contact_source,
    contacts.contact_datetime::date as window_from,
    contacts.contact_datetime::date as window_to,
    contacts.contact_key as row_key
from {{ ref('fct_contacts') }} as contacts
join {{ ref('annex_a_children') }} as children
    on children.la_code = contacts.la_code and children.child_key = contacts.child_key
