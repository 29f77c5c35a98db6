-- SSDA903 adoption decisions in the shape of stg_ssd__permanence (docs/returns.md). Two 903
-- tables record the same decision, the LA's (ADM) decision that the child should be placed for
-- adoption:
--   "placed for adoption" (PlacedAdoption): DATE_PLACED is the date of that decision (despite
--     the table's name), DATE_PLACED_CEASED the date of the decision that the child should no
--     longer be placed for adoption, REASON_PLACED_CEASED its reason (RD1-RD4);
--   AD1 (children adopted in the year): DATE_INT is the date of that decision, DATE_MATCH the
--     date of matching with the adopters, FOSTER_CARE 1 when adopted by their foster carer.
-- One row per child and decision date: a child in both tables with the same date is one
-- decision (the two are joined, never stacked), keyed '903:<child>:adoption:<decision date>'.
-- An AD1 row without DATE_INT keeps an 'undated' key. The 903 records the placement with the
-- adopters only as an episode (PLACE A3-A6), not in these tables: placed_for_adoption_date is
-- NULL, as is the period of care (the tables name the child only).
with decisions as (
    select
        placed.la_code,
        placed.child as child_key,
        placed.date_placed as decision_date,
        placed.date_placed_ceased as decision_reversed_date,
        nullif(
            {{ return_code(
                'upper(placed.reason_placed_ceased)',
                'ssda903_placed_for_adoption',
                'reason_placed_ceased',
                'placed.return_year'
            ) }},
            ''
        )
            as decision_reversed_reason,
        placed.extract_date
    from {{ newest_return_year(source('raw', 'ssda903_placed_for_adoption'), ['child', 'date_placed']) }} as placed
),

adoptions as (
    select
        la_code,
        child as child_key,
        date_int as decision_date,
        date_match as matched_date,
        case trim(foster_care) when '1' then true when '0' then false end as is_adopted_by_foster_carer,
        extract_date
    from {{ newest_return_year(source('raw', 'ssda903_ad1'), ['child']) }}
),

joined as (
    select
        coalesce(decisions.la_code, adoptions.la_code) as la_code,
        coalesce(decisions.child_key, adoptions.child_key) as child_key,
        coalesce(decisions.decision_date, adoptions.decision_date) as decision_date,
        adoptions.matched_date,
        decisions.decision_reversed_date,
        decisions.decision_reversed_reason,
        adoptions.is_adopted_by_foster_carer,
        greatest(decisions.extract_date, adoptions.extract_date) as extract_date
    from decisions
    full join adoptions
        on adoptions.la_code = decisions.la_code
            and adoptions.child_key = decisions.child_key
            and adoptions.decision_date = decisions.decision_date
)

select
    la_code,
    '903:' || child_key || ':adoption:'
    || coalesce({{ format_date('decision_date', '%Y-%m-%d') }}, 'undated') as adoption_key,
    child_key,
    cast(null as {{ text_type() }}) as period_of_care_key,
    decision_date,
    matched_date,
    null::date as placed_for_adoption_date,
    decision_reversed_date,
    decision_reversed_reason,
    is_adopted_by_foster_carer,
    extract_date,
    'ssda903' as source_format
from joined
