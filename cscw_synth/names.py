"""Invented names and code lists. No name here belongs to anyone: they are made up so that the
generated files are obviously synthetic."""

FORENAMES = (
    "Zorbin",
    "Quillet",
    "Marnix",
    "Tavish",
    "Oblin",
    "Fennow",
    "Yarrel",
    "Plumbo",
    "Kestra",
    "Vantia",
    "Brisket",
    "Lumo",
    "Dorrick",
    "Sprocka",
    "Wimble",
    "Tansy-Q",
    "Gorvan",
    "Nimsy",
    "Pellow",
    "Cadwyx",
    "Ruffin",
    "Zelby",
    "Mothra",
    "Quenby",
    "Hobnal",
    "Ixley",
    "Torvil",
    "Brambix",
    "Syntha",
    "Fakira",
)
SURNAMES = (
    "Testwood",
    "Fakeley",
    "Synthwick",
    "Mockford",
    "Dummington",
    "Placeholm",
    "Samplebury",
    "Nonsworth",
    "Madeupson",
    "Fictiona",
    "Examplar",
    "Notreal",
    "Specimen",
    "Pretendle",
    "Inventon",
    "Lorem",
    "Ipsumby",
    "Trialhurst",
    "Demoby",
    "Protoford",
)
# Non-ASCII names used by the cp1252 fault (characters that differ between cp1252 and latin-1).
CP1252_TEXT = ("Children’s Café Team", "Zoë O’Testwood", "St Fakeley’s – Fostering")

SEX = ("M", "F", "U")
GENDER = ("Male", "Female", "Not stated")
ETHNICITY = (
    "WBRI",
    "WIRI",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)
ETHNICITY_WEIGHTS = (
    0.70,
    0.01,
    0.05,
    0.01,
    0.02,
    0.01,
    0.01,
    0.02,
    0.02,
    0.02,
    0.01,
    0.01,
    0.01,
    0.02,
    0.01,
    0.005,
    0.015,
    0.01,
    0.05,
)
NATIONALITY = ("British", "Irish", "Polish", "Romanian", "Other", "Not known")
NATIONALITY_WEIGHTS = (0.86, 0.01, 0.03, 0.03, 0.04, 0.03)
UPN_UNKNOWN = ("UN1", "UN2", "UN3", "UN4", "UN5")
DISABILITY = ("MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA")

CONTACT_SOURCES = (
    ("1A", "Individual: family member"),
    ("1B", "Individual: acquaintance"),
    ("2A", "Schools"),
    ("2B", "Education services"),
    ("3A", "Health services: GP"),
    ("3B", "Health services: health visitor"),
    ("3C", "Health services: school nurse"),
    ("3E", "Health services: A&E"),
    ("4", "Housing"),
    ("5A", "LA services: external"),
    ("5B", "LA services: internal"),
    ("6", "Police"),
    ("7", "Other legal agency"),
    ("8", "Other"),
    ("9", "Anonymous"),
    ("10", "Unknown"),
)
CONTACT_SOURCE_WEIGHTS = (
    0.06,
    0.02,
    0.18,
    0.03,
    0.05,
    0.05,
    0.02,
    0.04,
    0.03,
    0.04,
    0.05,
    0.30,
    0.03,
    0.04,
    0.02,
    0.04,
)
PRIMARY_NEED = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9")
PRIMARY_NEED_WEIGHTS = (0.56, 0.09, 0.20, 0.05, 0.02, 0.01, 0.01, 0.02, 0.04)
CLOSE_REASONS = ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9")
CP_CATEGORY = ("NEGLECT", "PHYSICAL_ABUSE", "EMOTIONAL_ABUSE", "SEXUAL_ABUSE", "MULTIPLE")
CP_CATEGORY_WEIGHTS = (0.50, 0.07, 0.36, 0.04, 0.03)
CLA_START_REASON = ("S", "L", "P", "T", "U", "B")
CLA_CEASED_REASON = (
    "X1",
    "E11",
    "E12",
    "E13",
    "E41",
    "E45",
    "E46",
    "E47",
    "E4A",
    "E4B",
    "E5",
    "E17",
    "E8",
    "E3",
)
PLACEMENT_TYPES = ("U1", "U2", "U3", "U4", "U5", "U6", "K2", "R1", "P1", "H5", "A4", "A5", "Z1")
PLACEMENT_WEIGHTS = (0.14, 0.22, 0.05, 0.10, 0.10, 0.02, 0.12, 0.02, 0.07, 0.06, 0.02, 0.02, 0.06)
LONG_TERM_FOSTERING = ("U1", "U4")
PLACEMENT_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
PLACEMENT_CHANGE_REASON = (
    "CARPL",
    "CLOSE",
    "ALLEG",
    "STAND",
    "APPRR",
    "CREQB",
    "CREQO",
    "CHILD",
    "LAREQ",
    "PLACE",
    "OTHER",
)
LEGAL_STATUS = ("V2", "C1", "C2", "E1", "L1", "L2", "J2", "V3")
PARTICIPATION = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
MISSING_TYPE = ("M", "A")
# SSDA903 care leaver (OC3) codes
CL_ELIGIBILITY = ("Relevant", "Former relevant", "Qualifying")
CL_IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
CL_IN_TOUCH_WEIGHTS = (0.88, 0.05, 0.002, 0.03, 0.02, 0.018)
CL_ACCOMMODATION = (
    "B1",
    "C1",
    "D1",
    "E1",
    "G1",
    "H1",
    "K1",
    "R1",
    "S1",
    "T1",
    "U1",
    "V1",
    "W1",
    "X1",
    "B2",
    "C2",
    "D2",
    "H2",
    "R2",
    "S2",
    "T2",
    "Z1",
)
CL_ACTIVITY = ("F1", "F2", "F3", "F4", "F5", "P1", "P2", "P4", "G4", "G5", "G6")
CL_ACTIVITY_WEIGHTS = (0.07, 0.22, 0.10, 0.08, 0.05, 0.04, 0.04, 0.03, 0.10, 0.23, 0.04)
PLO_OUTCOME = ("STEP_DOWN", "ISSUE_PROCEEDINGS", "ONGOING")
LEGAL_GATEWAY = ("PLO", "ISSUE", "NO_FURTHER_ACTION")
PERMANENCE_ORDER = ("Adoption", "Special Guardianship Order", "Child Arrangements Order")
EH_REASON = (
    "Family support",
    "Parenting",
    "School attendance",
    "Domestic abuse",
    "Emotional wellbeing",
    "Substance misuse",
    "Housing",
)
EH_END_REASON = ("Needs met", "Stepped up to social care", "Family disengaged", "Moved away")
EH_ORGANISATION = (
    "Family Hub North",
    "Family Hub South",
    "School Partnership",
    "Health Visiting",
    "Voluntary Sector",
)
WORKER_CHANGE_REASON = ("TRANSFER", "WORKER_LEFT", "CASE_CLOSED", "REALLOCATION", "OTHER")
LEAVING_REASON = ("Resigned", "Retired", "End of contract", "Moved to another LA", "Dismissed")
RETURN_PLACING_LA = ("This authority", "Other authority")
