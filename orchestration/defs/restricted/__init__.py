from orchestration.defs.restricted.lists_asset import manager_lists

# Identified outputs, written into CSCW_RESTRICTED_DIR: never part of the BI publication.
RESTRICTED_ASSETS = [manager_lists]
