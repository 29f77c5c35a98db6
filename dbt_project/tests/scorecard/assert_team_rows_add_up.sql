-- Team and service-area figures add up (kpi-catalogue rules 33-38, issue 17). For every measure,
-- period and authority of the scorecard (unsuppressed: suppression is applied to the published
-- copies only), the team rows and, separately, the service-area rows against the authority row:
--   * numerators add up to the authority's (team '-1' is computed from its own units like every
--     team, so a unit dropped or counted twice shows here), except distinct-children counts
--     (int_kpi_results.is_numerator_additive false: caseload_average, rule 36), where no team or
--     service area may exceed the authority;
--   * denominators add up too, except counts (no denominator) and rates per 10,000, whose team
--     and service-area rows carry NULL denominator and value (rule 38), which is checked.
-- Team diagnostic grades and the other tables beside the scorecard are not measures of it and
-- are out of this check. One failing row per authority, measure, period and level; judged per
-- authority against the seed quality_thresholds (measure team_rows_add_up: by default any
-- failure blocks the authority's publication).
{{ config(
    fail_calc='coalesce(max(dq_level), 0)', warn_if='>= 1', error_if='>= 2',
    meta={'dagster': {'ref': {'name': 'kpi_scorecard'}}}
) }}
with additivity as (
    select kpi_id, bool_and(is_numerator_additive) as is_numerator_additive
    from {{ ref('int_kpi_results') }}
    group by kpi_id
),

scorecard as (
    select
        scorecard.la_code, scorecard.kpi_id, scorecard.period_type, scorecard.period_start,
        scorecard.breakdown, scorecard.numerator, scorecard.denominator, scorecard.value,
        scorecard.unit, coalesce(additivity.is_numerator_additive, true) as is_numerator_additive
    from {{ ref('kpi_scorecard') }} as scorecard
    left join additivity on additivity.kpi_id = scorecard.kpi_id
    where scorecard.is_available
),

authority as (
    select * from scorecard
    where breakdown = 'la'
),

levels as (
    select
        la_code, kpi_id, period_type, period_start, breakdown,
        sum(numerator) as level_numerator,
        max(numerator) as largest_numerator,
        sum(denominator) as level_denominator,
        count(denominator) + count(value) as rate_values
    from scorecard
    where breakdown in ('service_area', 'team')
    group by all
),

compared as (
    select
        levels.la_code,
        levels.kpi_id,
        levels.period_type,
        levels.period_start,
        levels.breakdown,
        authority.unit,
        authority.numerator as authority_numerator,
        levels.level_numerator,
        levels.largest_numerator,
        authority.denominator as authority_denominator,
        levels.level_denominator,
        case
            when authority.is_numerator_additive
                and abs(coalesce(levels.level_numerator, 0) - coalesce(authority.numerator, 0))
                > {{ var('add_up_tolerance') }} * greatest(1, abs(coalesce(authority.numerator, 0)))
                then levels.breakdown || ' numerators add up to ' || levels.level_numerator
                    || ', the authority''s is ' || authority.numerator
            when not authority.is_numerator_additive
                and levels.largest_numerator > coalesce(authority.numerator, 0)
                + {{ var('add_up_tolerance') }} * greatest(1, abs(coalesce(authority.numerator, 0)))
                then 'a ' || levels.breakdown || ' counts ' || levels.largest_numerator
                    || ' distinct units, more than the authority''s ' || authority.numerator
            when authority.unit = 'rate_10k' and levels.rate_values > 0
                then levels.breakdown || ' rows of a rate per 10,000 carry a denominator or value (rule 38)'
            when authority.unit not in ('count', 'rate_10k')
                and abs(coalesce(levels.level_denominator, 0) - coalesce(authority.denominator, 0))
                > {{ var('add_up_tolerance') }} * greatest(1, abs(coalesce(authority.denominator, 0)))
                then levels.breakdown || ' denominators add up to ' || levels.level_denominator
                    || ', the authority''s is ' || authority.denominator
        end as dq_problem
    from levels
    join authority
        on authority.la_code = levels.la_code
            and authority.kpi_id = levels.kpi_id
            and authority.period_type = levels.period_type
            and authority.period_start = levels.period_start
),

failing as (
    select * from compared
    where dq_problem is not null
),

by_authority as (
    select la_code, count(*) as dq_rows_failing from failing
    group by la_code
),

limits as (
    {{ quality_threshold('team_rows_add_up', 'kpi_scorecard') }}
)

select
    failing.*,
    by_authority.dq_rows_failing,
    case when by_authority.dq_rows_failing > limits.critical then 2
        when by_authority.dq_rows_failing > limits.warning then 1
        else 0
    end as dq_level
from failing
join by_authority on by_authority.la_code = failing.la_code
cross join limits
