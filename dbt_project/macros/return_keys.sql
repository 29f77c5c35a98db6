{#- Keys of statutory-return records, which carry no ids of their own: built from the child's
    pseudonym (hex, from ingestion) and the dates that identify the record in its return,
    behind a prefix naming the return ('903:', 'cin:'), so they are deterministic and can never
    equal an SSD key (an HMAC in hex). docs/returns.md lists them. -#}
{% macro cin_referral_key(child, referral_date) -%}
    ('cin:' || {{ child }} || ':' || {{ format_date(referral_date, '%Y-%m-%d') }})
{%- endmacro %}

{% macro cin_s47_key(child, referral_date, s47_start_date) -%}
    ({{ cin_referral_key(child, referral_date) }} || ':s47:' || {{ format_date(s47_start_date, '%Y-%m-%d') }})
{%- endmacro %}

{% macro cin_cp_plan_key(child, plan_start_date) -%}
    ('cin:' || {{ child }} || ':cpp:' || {{ format_date(plan_start_date, '%Y-%m-%d') }})
{%- endmacro %}
