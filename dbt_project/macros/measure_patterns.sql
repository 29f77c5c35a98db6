{#- Measures that differ only in their parameters share one body: each detail model is a
    one-line call that names its measure, so its catalogue sentence stays at its top. -#}

{#- rmm_*: children whose latest risk level at the month end is `risk_level`; met if their
    latest risk management meeting is within the measure's days_allowed (rule 27). -#}
{% macro risk_meetings_within(kpi_id, risk_level) -%}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'days_allowed') }} as days_allowed
),

levels as (
    -- each recorded level holds from its record's date until the child's next level record
    select
        la_code, child_key, risk_level, start_date as level_from,
        lead(start_date) over child_records as level_until
    from {{ ref('fct_exploitation') }}
    where risk_level is not null
    window child_records as (
        partition by la_code, child_key
        order by start_date nulls last, (record_type = 'RISK_MANAGEMENT_MEETING'), exploitation_record_key)
),

meeting_dates as (
    select distinct la_code, child_key, start_date as meeting_date
    from {{ ref('fct_exploitation') }}
    where record_type = 'RISK_MANAGEMENT_MEETING'
),

meetings as (
    -- each meeting is the latest until the child's next meeting
    select *, lead(meeting_date) over (partition by la_code, child_key order by meeting_date nulls last) as next_meeting_date
    from meeting_dates
),

children_at_level as (
    select la_code, snapshot_date, child_key, level_from
    from {{ open_at_month_ends('levels', 'level_from', 'level_until') }} as levels
    where risk_level = '{{ risk_level }}'
),

judged as (
    select
        children.*,
        meetings.meeting_date as latest_meeting_date,
        {{ days_between('meetings.meeting_date', 'children.snapshot_date') }} as days_since_meeting
    from children_at_level as children
    left join meetings
        on meetings.la_code = children.la_code
       and meetings.child_key = children.child_key
       and meetings.meeting_date <= children.snapshot_date
       and (meetings.next_meeting_date is null or meetings.next_meeting_date > children.snapshot_date)
)

select
    judged.la_code,
    '{{ kpi_id }}' as kpi_id,
    judged.snapshot_date,
    coalesce(allocated.team_id, '-1') as team_id,
    coalesce(allocated.service_area_id, '-1') as service_area_id,
    judged.child_key,
    '{{ risk_level }}' as risk_level,
    judged.level_from as risk_level_since,
    judged.latest_meeting_date,
    judged.days_since_meeting,
    allowed.days_allowed,
    coalesce(judged.days_since_meeting <= allowed.days_allowed, false) as is_met,
    case when judged.latest_meeting_date is null then 'no risk management meeting yet'
         else 'latest meeting ' || judged.days_since_meeting || ' days before month end'
              || case when judged.days_since_meeting > allowed.days_allowed
                      then ', over the ' || allowed.days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(judged.days_since_meeting <= allowed.days_allowed, false)::int as numerator,
    1 as denominator
from judged
cross join allowed
left join {{ ref('int_child_allocation_at_month_end') }} as allocated
    on allocated.la_code = judged.la_code
   and allocated.snapshot_date = judged.snapshot_date
   and allocated.child_key = judged.child_key
{%- endmacro %}

{#- pre_proceedings_*: pre-proceedings concluded in the period; met if concluded within the
    measure's days_allowed of the decision (rule 28). -#}
{% macro pre_proceedings_concluded_within(kpi_id) -%}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'days_allowed') }} as days_allowed
)

select
    records.la_code,
    '{{ kpi_id }}' as kpi_id,
    records.concluded_date as reference_date,
    records.team_id,
    records.service_area_id,
    records.pre_proceedings_key,
    records.child_key,
    records.decision_date,
    records.concluded_date,
    records.days_to_conclusion as interval_days,
    allowed.days_allowed,
    coalesce(records.days_to_conclusion <= allowed.days_allowed, false) as is_met,
    case when records.decision_date is null then 'no pre-proceedings decision date'
         else 'concluded ' || records.days_to_conclusion || ' days after the decision'
              || case when records.days_to_conclusion > allowed.days_allowed
                      then ', over the ' || allowed.days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(records.days_to_conclusion <= allowed.days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_pre_proceedings') }} as records
cross join allowed
where records.concluded_date is not null
{%- endmacro %}

{#- Contacts on one pathway received in the period; met if decided within the measure's
    hours_allowed; undecided contacts count, not met, once older than the limit (rule 9). -#}
{% macro contacts_decided_within(kpi_id, pathway) -%}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'hours_allowed') }} as hours_allowed
),

contacts as (
    select
        contacts.*,
        allowed.hours_allowed,
        {{ add_seconds('contacts.received_datetime', '(allowed.hours_allowed * 3600)::bigint') }} as decision_due_datetime
    from {{ ref('fct_contacts') }} as contacts
    cross join allowed
    where contacts.pathway = '{{ pathway }}'
)

select
    la_code,
    '{{ kpi_id }}' as kpi_id,
    received_date as reference_date,
    -- older than the limit at the end of this day: periods ending on or after it count it
    case when is_decided then received_date else decision_due_datetime::date end as counted_from_date,
    team_id,
    service_area_id,
    contact_key,
    child_key,
    received_datetime,
    decision_datetime,
    decision_due_datetime,
    hours_to_decision,
    hours_allowed,
    coalesce(hours_to_decision <= hours_allowed, false) as is_met,
    case when not is_decided
             then 'not decided; over the ' || hours_allowed::int || ' hours allowed from '
                  || {{ format_date('decision_due_datetime', '%Y-%m-%d %H:%M') }}
         else 'decided in ' || {{ round_double('hours_to_decision', 2) }} || ' hours'
              || case when hours_to_decision > hours_allowed
                      then ', over the ' || hours_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(hours_to_decision <= hours_allowed, false)::int as numerator,
    1 as denominator
from contacts
{%- endmacro %}

{#- Statutory visits (rule 14): children open on a plan of `plan_type` at the month end (those
    matching `open_condition`), judged on their visit clock (int_<plan_type>_visit_clock: the
    latest visit with the child seen on or after the earliest open plan's start, else the plan
    start); met if the working days to the month end are within the measure's
    working_days_allowed. Team (rule 35): the allocated team, else the team recorded on the
    latest-starting open record of `team_records` (CIN plan for CIN visits; CP plans record
    none), else '-1'. -#}
{% macro latest_seen_visit_within(kpi_id, plan_type, open_condition, team_records=[]) -%}
with children as (
    select
        status.la_code, status.snapshot_date, status.child_key, status.worker_key,
        status.{{ plan_type }}_plan_key, status.{{ plan_type }}_plan_start_date,
        {{ snapshot_team('status', team_records) }}
    from {{ ref('fct_child_status_month_end') }} as status
    where {{ open_condition }}
),

due as (
    select
        children.*,
        clock.latest_event_key as latest_visit_key,
        clock.latest_event_date as latest_visit_date,
        clock.clock_start_date,
        clock.due_date,
        clock.working_days,
        clock.working_days_allowed
    from children
    left join {{ ref('int_' ~ plan_type ~ '_visit_clock') }} as clock
        on clock.la_code = children.la_code
       and clock.clock_date = children.snapshot_date
       and clock.child_key = children.child_key
)

select
    la_code,
    '{{ kpi_id }}' as kpi_id,
    snapshot_date,
    team_id,
    service_area_id,
    child_key,
    {{ plan_type }}_plan_key,
    {{ plan_type }}_plan_start_date,
    latest_visit_key,
    latest_visit_date,
    clock_start_date,
    due_date,
    working_days,
    working_days_allowed,
    worker_key,
    working_days <= working_days_allowed as is_met,
    case when latest_visit_date is not null
         then 'seen ' || working_days || ' working days before month end'
         else 'not seen since plan start ' || working_days || ' working days before month end'
    end || case when working_days > working_days_allowed
                then ', over the ' || working_days_allowed || ' allowed' else '' end as reason,
    (working_days <= working_days_allowed)::int as numerator,
    1 as denominator
from due
{%- endmacro %}

{#- cp_reviews_timely / cin_reviews_timely: the plan's reviews held in the period, met if held
    on or before the due date of fct_<plan_type>_reviews (rule 15). A review records no team, so
    the child's allocated team on the review date. -#}
{% macro plan_reviews_on_time(kpi_id, plan_type) -%}
with reviews as (
    select *, null::{{ text_type() }} as event_team_id
    from {{ ref('fct_' ~ plan_type ~ '_reviews') }}
),

attributed as (
    select * from {{ attribute_to_team('reviews', 'event_team_id', 'review_date') }}
)

select
    la_code,
    '{{ kpi_id }}' as kpi_id,
    review_date as reference_date,
    team_id,
    service_area_id,
    child_key,
    {{ plan_type }}_review_key,
    {{ plan_type }}_plan_key,
    plan_start_date,
    review_number,
    previous_review_date,
    review_date,
    due_date,
    {{ days_between('due_date', 'review_date') }} as days_late,
    {%- if plan_type == 'cp' %}
    source_format,  {#- CP reviews come from the SSD or the CIN census; CIN reviews from a local extract only #}
    {%- endif %}
    is_on_time as is_met,
    case when review_number = 1 then 'first review' else 'review ' || review_number end
        || ' held ' || {{ format_date('review_date', '%Y-%m-%d') }} || ', due ' || {{ format_date('due_date', '%Y-%m-%d') }}
        || case when is_on_time then '' else ' (' || {{ days_between('due_date', 'review_date') }} || ' days late)' end as reason,
    is_on_time::int as numerator,
    1 as denominator
from attributed
{%- endmacro %}

{#- cla_review_minutes_20wd / cla_review_recs_5wd: LAC reviews held in the period, met if the
    administration step (`done_date`, working days in `working_days_column` of fct_cla_reviews)
    was done within the measure's working_days_allowed; not done = not met (rule 22). `step`
    names it in the reason ('minutes distributed', 'recommendations sent'). -#}
{% macro review_admin_within(kpi_id, done_date, working_days_column, step) -%}
with allowed as (
    select {{ kpi_parameter(kpi_id, 'working_days_allowed') }} as working_days_allowed
)

select
    reviews.la_code,
    '{{ kpi_id }}' as kpi_id,
    reviews.review_date as reference_date,
    reviews.team_id,
    reviews.service_area_id,
    reviews.child_key,
    reviews.cla_review_key,
    reviews.period_of_care_key,
    reviews.review_date,
    reviews.{{ done_date }},
    reviews.{{ working_days_column }} as working_days,
    allowed.working_days_allowed,
    reviews.source_format,
    coalesce(reviews.{{ working_days_column }} <= allowed.working_days_allowed, false) as is_met,
    case
        when reviews.{{ done_date }} is null then '{{ step.split(" ")[0] }} not {{ step.split(" ")[1] }}'
        else '{{ step }} ' || reviews.{{ working_days_column }} || ' working days after the review'
            || case when reviews.{{ working_days_column }} > allowed.working_days_allowed
                    then ', over the ' || allowed.working_days_allowed::int || ' allowed' else '' end
    end as reason,
    coalesce(reviews.{{ working_days_column }} <= allowed.working_days_allowed, false)::int as numerator,
    1 as denominator
from {{ ref('fct_cla_reviews') }} as reviews
cross join allowed
{%- endmacro %}
