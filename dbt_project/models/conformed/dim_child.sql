-- One row per child: pseudonymous key and the characteristics analysts break figures down by.
-- Month of birth, not date of birth, leaves the staging layer.
-- A fact can name a child that ssd_person does not hold: the tables are full snapshots
-- delivered on their own schedules, so a supervision or audit extract can arrive after the
-- person left the SSD extract. Such a child gets an unknown-member row (inferred member: key
-- only, characteristics unknown), so every child key resolves and no fact row is dropped; the
-- quality gate counts these rows (each fact's child_key test relationships_within_authority,
-- parent_where not is_inferred_member: warn).
-- UASC: was_uasc is true for a child the SSDA903 UASC table lists (with uasc_ceased_date, its
-- DUC), false for the authority's other children when it delivered that table, and NULL (not
-- known) where it did not: the SSD contract holds no immigration status (docs/returns.md).
-- The facts below are every conformed fact reading child rows from the sources
-- (tests/unit/test_dim_child_covers_facts.py fails when a new one is missing).
{%- set facts_naming_children = [
    'fct_contacts', 'fct_referrals', 'fct_assessments', 'fct_strategy_discussions',
    'fct_s47_enquiries', 'fct_icpcs', 'fct_cp_plans', 'fct_cp_reviews', 'fct_core_groups',
    'fct_cin_plans', 'fct_cin_reviews', 'fct_visits', 'fct_early_help_episodes',
    'fct_cla_episodes', 'fct_legal_statuses', 'fct_placements', 'fct_cla_reviews',
    'fct_iro_activity', 'fct_missing_episodes', 'fct_care_leavers',
    'fct_exploitation', 'fct_allocations', 'fct_supervisions', 'fct_case_audits',
    'fct_pre_proceedings', 'fct_care_proceedings', 'fct_life_story_work', 'fct_adoption',
] %}
with disabilities as (
    select la_code, child_key, {{ ordered_string_agg('disability_code', ',', distinct=true) }} as disability_codes
    from {{ ref('int_disabilities__sources') }}
    group by all
),

persons as (
    select
        persons.la_code,
        persons.child_key,
        persons.sex,
        persons.ethnicity,
        {{ period_start('month', 'persons.date_of_birth') }} as month_of_birth,
        disabilities.disability_codes is not null as has_disability,
        disabilities.disability_codes,
        false as is_inferred_member,
        persons.source_format
    from {{ ref('int_persons__sources') }} as persons
    left join disabilities
        on disabilities.la_code = persons.la_code
            and disabilities.child_key = persons.child_key
),

children_named_by_facts as (
    {% for fact in facts_naming_children %}
        select la_code, child_key from {{ ref(fact) }}
        where child_key is not null
        {% if not loop.last %}union{% endif %}
    {%- endfor %}
),

inferred_members as (
    select
        named.la_code,
        named.child_key,
        null::{{ text_type() }} as sex,
        null::{{ text_type() }} as ethnicity,
        null::date as month_of_birth,
        null::boolean as has_disability,
        null::{{ text_type() }} as disability_codes,
        true as is_inferred_member,
        null::{{ text_type() }} as source_format
    from children_named_by_facts as named
    anti join persons
        on persons.la_code = named.la_code
            and persons.child_key = named.child_key
),

children as (
    select * from persons
    union all
    select * from inferred_members
),

uasc_delivered as (
    select distinct la_code
    from {{ ref('stg_raw_meta__current_versions') }}
    where table_name = 'ssda903_uasc'
)

select
    children.la_code,
    children.child_key,
    children.sex,
    children.ethnicity,
    children.month_of_birth,
    children.has_disability,
    children.disability_codes,
    children.is_inferred_member,
    case
        when uasc.child_key is not null then true
        when uasc_delivered.la_code is not null then false
    end as was_uasc,
    uasc.uasc_ceased_date,
    children.source_format
from children
left join {{ ref('stg_ssda903__uasc') }} as uasc
    on uasc.la_code = children.la_code
        and uasc.child_key = children.child_key
left join uasc_delivered
    on uasc_delivered.la_code = children.la_code
