-- Adoption decisions from the SSD permanence table and the SSDA903 (placed for adoption + AD1).
-- An SSD permanence record is an adoption decision when it carries any date of the adoption
-- journey (ADM decision, match, placement with adopters); special guardianship and child
-- arrangements records carry none and are left out. The SSD wins inside its span of decision
-- dates; 903 decisions dated outside it are kept (macro prefer_ssd_within_its_span,
-- docs/returns.md). source_format names where each row came from.
{{ prefer_ssd_within_its_span(
    "(select * from " ~ ref('stg_ssd__permanence') ~ " where decision_date is not null or matched_date is not null or placed_for_adoption_date is not null)",
    [ref('stg_ssda903__permanence')],
    'decision_date') }}
