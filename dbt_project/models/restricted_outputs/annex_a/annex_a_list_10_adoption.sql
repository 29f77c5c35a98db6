-- List 10: one row per decision that a child should be placed for adoption (fct_adoption), in
-- the window when the adoption journey was open at any point of it (decision to adoption order,
-- reversal or the end of the period of care). Age at the data date. The placement order is the
-- child's latest E1 legal status starting on or before the data date; the adoption order is the
-- end of the period of care when it ceased by adoption (E11, E12); fostering for adoption is
-- the first placement of the period with an approved adopter (U2, U5).
with periods as (
    select
        a.la_code, a.adoption_key,
        {{ latest_value('p.start_date', 'p.start_date') }} as entered_care_date,
        {{ latest_value('p.period_of_care_key', 'p.start_date') }} as period_of_care_key,
        {{ latest_value("case when p.ceased_reason in ('E11', 'E12') then p.end_date end", 'p.start_date') }}
            as adoption_order_date
    from {{ ref('fct_adoption') }} as a
    join {{ ref('fct_periods_of_care') }} as p
        on p.la_code = a.la_code and p.child_key = a.child_key
            and (
                p.period_of_care_key = a.period_of_care_key
                or (a.period_of_care_key is null and p.start_date <= a.decision_date)
            )
    group by all
),

placement_order as (
    select ls.la_code, ls.child_key, max(ls.start_date) as placement_order_date
    from {{ ref('fct_legal_statuses') }} as ls
    join {{ ref('dim_authority') }} as authority on authority.la_code = ls.la_code
    where ls.legal_status_code = 'E1' and ls.start_date <= authority.as_at_date
    group by all
),

ffa as (
    select la_code, period_of_care_key, min(placement_start_date) as ffa_date
    from {{ ref('fct_placements') }}
    where placement_type in ('U2', 'U5')
    group by all
)

select
    a.la_code,
    a.child_key,
    {{ annex_a_child_columns('children.data_date') }},
    periods.entered_care_date,
    a.decision_date,
    placement_order.placement_order_date,
    a.matched_date,
    a.placed_for_adoption_date,
    periods.adoption_order_date,
    a.decision_reversed_date,
    {{ annex_a_code('adoption_reversed_reason', 'a.decision_reversed_reason') }} as decision_reversed_reason,
    ffa.ffa_date,
    a.decision_date as window_from,
    coalesce(periods.adoption_order_date, a.decision_reversed_date) as window_to,
    a.adoption_key as row_key
from {{ ref('fct_adoption') }} as a
join {{ ref('annex_a_children') }} as children
    on children.la_code = a.la_code and children.child_key = a.child_key
left join periods on periods.la_code = a.la_code and periods.adoption_key = a.adoption_key
left join placement_order on placement_order.la_code = a.la_code and placement_order.child_key = a.child_key
left join ffa on ffa.la_code = a.la_code and ffa.period_of_care_key = periods.period_of_care_key
