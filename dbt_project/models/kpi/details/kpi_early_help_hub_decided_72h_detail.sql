-- early_help_hub_decided_72h: "As above [contacts_decided_24h] for cond_pathway = EHH with 72 h":
-- Contacts with cond_pathway = EHH received in period; met if decided within 72 h; undecided
-- contacts older than 72 h at period end count as not met. (kpi_parameters: hours_allowed)
-- Rule 9: a contact still undecided in the extract counts (not met) in a period only if it was
-- already older than the limit at the end of that period (midnight after its last day), so it
-- counts in the periods containing its receipt date that end on or after counted_from_date.
-- A decided contact counts in every period containing its receipt date.
{{ contacts_decided_within('early_help_hub_decided_72h', 'EHH') }}
