-- contacts_decided_24h: "Contacts with cond_pathway = MASH received in period; met if
-- cond_decision_datetime - cond_received_datetime <= 24 h. Undecided contacts older than 24 h
-- at period end count as not met." (kpi_parameters: hours_allowed)
-- Rule 9: a contact still undecided in the extract counts (not met) in a period only if it was
-- already older than the limit at the end of that period (midnight after its last day), so it
-- counts in the periods containing its receipt date that end on or after counted_from_date.
-- A decided contact counts in every period containing its receipt date.
{{ contacts_decided_within('contacts_decided_24h', 'MASH') }}
