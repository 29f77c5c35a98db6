-- front door measures: aggregates of this domain's detail models, stacked.
-- The two contact-timeliness measures are not plain flows: under rule 9 a contact still
-- undecided counts only in the periods that end on or after the day it became overdue
-- (counted_from_date), so a contact received on 28 Feb and never decided is out of February
-- (not yet 24 h old at its end) but in Q4 and the year. Decided contacts have
-- counted_from_date = reference_date, which makes the condition always true for them.
{{ stack_kpi_results([
    ('assessments_45wd', 'flow'),
    ('assessments_rate_10k', 'flow'),
    ('contact_conversion_rate', 'flow'),
    ('re_referrals_12m', 'flow'),
    ('referrals_rate_10k', 'flow'),
    ('strategy_discussions_timely', 'flow'),
    ('s47_completed_15wd', 'flow'),
    ('s47_nfa_rate', 'flow'),
    ('icpc_15wd', 'flow'),
    ('contacts_decided_24h', 'counted_from'),
    ('early_help_hub_decided_72h', 'counted_from'),
]) }}
